-- Active patients per month, counted as of the month's last day (or A when A
-- falls inside the month; months after A show 0), with the definition of
-- metric_active_patients. Grain: one row per month in range. Unit: patients.
create or replace view metric_active_patients_monthly as
with params as (
    select * from int_params
),

visits as materialized (
    -- Only visits that can fall in some month's lookback: after month_from
    -- minus active_months (every period_end is on or after month_from).
    select
        v.source_id,
        v.patient_id,
        v.completed_date,
        v.next_completed_date
    from int_visit_days as v
    cross join params as p
    where
        v.patient_can_be_active
        and (
            getvariable('practice_id') is null
            or v.patient_practice_id = getvariable('practice_id')
        )
        and v.completed_date <= p.as_of
        and v.completed_date > cast(p.month_from - to_months(p.active_months) as date)
),

active_pairs as (
    -- per month, each patient's last visit as of the period end, if it is recent
    select m.month
    from int_months as m
    cross join params as p
    inner join visits as v
        on
            m.period_end >= v.completed_date
            and (v.next_completed_date is null or m.period_end < v.next_completed_date)
            and v.completed_date > cast(m.period_end - to_months(p.active_months) as date)
    where m.month <= p.as_of
),

active as (
    select
        month,
        count(*) as active_patients
    from active_pairs
    group by month
)

select
    m.month,
    coalesce(a.active_patients, 0) as active_patients
from int_months as m
left join active as a on m.month = a.month
order by m.month;
