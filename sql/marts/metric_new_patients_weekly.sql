-- New patients per week (Monday to Sunday); the same definition as
-- metric_new_patients_monthly. Grain: one row per week in range. Unit: patients.
create or replace view metric_new_patients_weekly as
with params as (
    select * from int_params
),

by_week as (
    select
        cast(date_trunc('week', pt.first_visit_date) as date) as week_start,
        count(*) as new_count
    from int_patients as pt
    cross join params as p
    where
        pt.can_be_new
        and pt.first_visit_date <= p.as_of
        and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
    group by all
)

select
    w.week_start,
    coalesce(b.new_count, 0) as count
from int_weeks as w
left join by_week as b on w.week_start = b.week_start
order by w.week_start;
