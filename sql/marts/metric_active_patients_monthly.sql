-- Active patients per month, counted as of the month's last day (or A when A
-- falls inside the month; months after A show 0), with the definition of
-- metric_active_patients. Grain: one row per month in range. Unit: patients.
create or replace view metric_active_patients_monthly as
with params as (
    select * from int_params
),

eligible as (
    select
        pt.source_id,
        pt.patient_id
    from int_patients as pt
    where
        pt.can_be_active
        and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
),

visits as materialized (
    select
        v.source_id,
        v.patient_id,
        v.completed_date
    from int_visits as v
    semi join eligible as e
        on v.source_id = e.source_id and v.patient_id = e.patient_id
),

active_pairs as (
    select distinct
        m.month,
        v.source_id,
        v.patient_id
    from int_months as m
    cross join params as p
    inner join visits as v
        on
            v.completed_date <= m.period_end
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
