-- Case acceptance by diagnosis week (Monday to Sunday); the same definitions
-- as metric_acceptance_monthly, with mature = the week's Sunday + W <= A.
-- With age_days set (equal age, section 1) a procedure counts as accepted only
-- if also accepted_date <= its week's Sunday + age_days; age_days is echoed.
-- Grain: one row per week in range. Unit: dollars, counts, ratios 0..1.
create or replace view metric_acceptance_weekly as
with params as (
    select * from int_params
),

diagnosed as (
    -- Equal age (section 1): with age_days set, an acceptance counts only when
    -- also accepted_date <= the period's last day + age_days.
    select
        d.*,
        d.is_accepted and (
            p.age_days is null
            or d.accepted_date
            <= cast(date_trunc('week', d.diagnosed_date) as date) + 6 + p.age_days
        ) as is_accepted_at_age
    from int_acceptance_cohort as d
    cross join params as p
    where getvariable('practice_id') is null or d.practice_id = getvariable('practice_id')
),

by_week as (
    select
        cast(date_trunc('week', diagnosed_date) as date) as week_start,
        count(*) as diagnosed_count,
        sum(fee) as diagnosed_amount,
        count(*) filter (where is_accepted_at_age) as accepted_count,
        sum(fee) filter (where is_accepted_at_age) as accepted_amount,
        count(*) filter (where is_same_day) as same_day_count,
        sum(fee) filter (where is_same_day) as same_day_amount
    from diagnosed
    group by all
),

filled as (
    select
        w.week_start,
        w.week_end,
        coalesce(b.diagnosed_count, 0) as diagnosed_count,
        coalesce(b.diagnosed_amount, 0) as diagnosed_amount,
        coalesce(b.accepted_count, 0) as accepted_count,
        coalesce(b.accepted_amount, 0) as accepted_amount,
        coalesce(b.same_day_count, 0) as same_day_count,
        coalesce(b.same_day_amount, 0) as same_day_amount
    from int_weeks as w
    left join by_week as b on w.week_start = b.week_start
)

select
    f.week_start,
    f.diagnosed_count,
    f.diagnosed_amount,
    f.accepted_count,
    f.accepted_amount,
    case when f.diagnosed_count > 0 then f.accepted_count / f.diagnosed_count end as rate_count,
    case
        when f.diagnosed_amount <> 0 then f.accepted_amount / f.diagnosed_amount
    end as rate_amount,
    f.week_end + p.window_days <= p.as_of as mature,
    f.same_day_count,
    f.same_day_amount,
    p.age_days
from filled as f
cross join params as p
order by f.week_start;
