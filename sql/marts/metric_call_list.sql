-- Patients to call as of A, ranked for workability (not dollars alone): the
-- patients of metric_unscheduled_worklist with unscheduled treatment (amount
-- > 0), each with the newest unscheduled diagnosis, days_since_diagnosis = A -
-- that date, and has_future_appointment (a scheduled appointment starting on a
-- day after A). Order: patients without a future appointment first, then the
-- most recent diagnosis, then the larger amount. A minimum amount is the
-- page's filter (caseboard.review.calllist).
-- Grain: one row per patient. Unit: dollars, procedures, days.
create or replace view metric_call_list as
with params as (
    select * from int_params
),

newest as (
    select
        source_id,
        patient_id,
        max(diagnosed_date) as newest_diagnosed_date
    from int_open_treatment
    where
        kind = 'unscheduled'
        and (getvariable('practice_id') is null or practice_id = getvariable('practice_id'))
    group by source_id, patient_id
)

select
    w.source_id,
    w.patient_id,
    w.practice_id,
    w.first_name,
    w.last_name,
    w.phone,
    w.amount,
    w.procedure_count,
    n.newest_diagnosed_date,
    w.oldest_diagnosed_date,
    w.last_visit_date,
    w.next_appointment,
    w.declined_amount,
    w.providers,
    w.codes,
    w.treatment,
    p.as_of - n.newest_diagnosed_date as days_since_diagnosis,
    w.next_appointment is not null as has_future_appointment
from metric_unscheduled_worklist as w
inner join newest as n
    on w.source_id = n.source_id and w.patient_id = n.patient_id
cross join params as p
where w.amount > 0
order by
    has_future_appointment asc, n.newest_diagnosed_date desc, w.amount desc, w.source_id asc,
    w.patient_id asc;
