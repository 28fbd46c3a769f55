-- Coordinator readiness as of A (spec section 8): active_patients (see
-- metric_active_patients), new_patients_avg_3m = new patients (see
-- metric_new_patients_monthly) in the 3 calendar months before A's month / 3,
-- ready = active_patients >= ready_active and the exact average >= ready_new;
-- the thresholds used are given beside it.
-- Grain: one row. Unit: patients, patients per month, flag, thresholds.
create or replace view metric_readiness as
with params as (
    select * from int_params
),

recent_new as (
    select count(*) as new_count
    from int_patients as pt
    cross join params as p
    where
        pt.can_be_new
        and pt.first_visit_date < cast(date_trunc('month', p.as_of) as date)
        and pt.first_visit_date >= cast(date_trunc('month', p.as_of) - to_months(3) as date)
        and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
)

select
    a.active_patients,
    p.ready_active,
    p.ready_new,
    n.new_count / 3 as new_patients_avg_3m,
    a.active_patients >= p.ready_active and n.new_count >= 3 * p.ready_new as ready
from metric_active_patients as a
cross join recent_new as n
cross join params as p;
