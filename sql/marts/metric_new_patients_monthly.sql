-- New patients per month (spec section 2): patients counted in the month
-- holding their first visit (recorded first_visit_date, else their earliest
-- completed procedure other than D9986/D9987), on or before A; prospective and
-- nonpatient patients never count. Filtered by the patient's practice.
-- avg_3m = the average of the 3 calendar months before the month.
-- Grain: one row per month in range. Unit: patients.
create or replace view metric_new_patients_monthly as
with params as (
    select * from int_params
),

new_patients as (
    select cast(date_trunc('month', pt.first_visit_date) as date) as month
    from int_patients as pt
    cross join params as p
    where
        pt.can_be_new
        and pt.first_visit_date <= p.as_of
        and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
),

by_month as (
    select
        month,
        count(*) as new_count
    from new_patients
    group by month
),

last_three as (
    select
        m.month,
        coalesce(sum(b.new_count), 0) as new_count_3m
    from int_months as m
    left join by_month as b
        on b.month >= cast(m.month - to_months(3) as date) and m.month > b.month
    group by m.month
)

select
    m.month,
    coalesce(b.new_count, 0) as count,
    t.new_count_3m / 3 as avg_3m
from int_months as m
left join by_month as b on m.month = b.month
inner join last_three as t on m.month = t.month
order by m.month;
