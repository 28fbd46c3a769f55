-- The coordinator's call list as of A: one row per patient with unscheduled or
-- declined treatment (see metric_unscheduled): name, phone, unscheduled amount
-- and procedure count, oldest diagnosed date of the unscheduled treatment,
-- last completed visit (latest completed procedure other than D9986/D9987 on
-- or before A), next scheduled appointment (status scheduled, starting on a
-- day after A), declined amount beside it, the providers and codes involved,
-- and the unscheduled treatment in words (descriptions, else CDT category and code).
-- Sorted by unscheduled amount, descending.
-- Grain: one row per patient. Unit: dollars, procedures, dates.
create or replace view metric_unscheduled_worklist as
with params as (
    select * from int_params
),

open_treatment as (
    select o.*
    from int_open_treatment as o
    where getvariable('practice_id') is null or o.practice_id = getvariable('practice_id')
),

per_patient as (
    select
        source_id,
        patient_id,
        coalesce(sum(fee) filter (where kind = 'unscheduled'), 0) as amount,
        count(*) filter (where kind = 'unscheduled') as procedure_count,
        min(diagnosed_date) filter (where kind = 'unscheduled') as oldest_diagnosed_date,
        coalesce(sum(fee) filter (where kind = 'declined'), 0) as declined_amount,
        string_agg(distinct provider_name, ', ' order by provider_name) as providers,
        string_agg(distinct code, ', ' order by code) as codes,
        string_agg(distinct treatment, '; ' order by treatment)
        filter (where kind = 'unscheduled') as treatment
    from open_treatment
    group by source_id, patient_id
),

last_visits as (
    select
        v.source_id,
        v.patient_id,
        max(v.completed_date) as last_visit_date
    from int_visits as v
    semi join per_patient as w
        on v.source_id = w.source_id and v.patient_id = w.patient_id
    group by v.source_id, v.patient_id
),

people as (
    select
        pt.source_id,
        pt.patient_id,
        pt.practice_id,
        pt.first_name,
        pt.last_name,
        pt.phone
    from int_patients as pt
    semi join per_patient as w
        on pt.source_id = w.source_id and pt.patient_id = w.patient_id
),

next_appointments as (
    select
        a.source_id,
        a.patient_id,
        min(a.start_at) as next_appointment
    from int_scheduled_appointments as a
    cross join params as p
    semi join per_patient as w
        on a.source_id = w.source_id and a.patient_id = w.patient_id
    where a.start_date > p.as_of
    group by a.source_id, a.patient_id
)

select
    w.source_id,
    w.patient_id,
    pt.practice_id,
    pt.first_name,
    pt.last_name,
    pt.phone,
    w.amount,
    w.procedure_count,
    w.oldest_diagnosed_date,
    lv.last_visit_date,
    na.next_appointment,
    w.declined_amount,
    w.providers,
    w.codes,
    w.treatment
from per_patient as w
left join people as pt
    on w.source_id = pt.source_id and w.patient_id = pt.patient_id
left join last_visits as lv
    on w.source_id = lv.source_id and w.patient_id = lv.patient_id
left join next_appointments as na
    on w.source_id = na.source_id and w.patient_id = na.patient_id
order by w.amount desc, w.declined_amount desc, w.source_id asc, w.patient_id asc;
