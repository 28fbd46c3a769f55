-- Case acceptance by diagnosis month (spec section 1).
-- Definition: the month's diagnosed set = procedures with status planned,
-- completed or inactive diagnosed in the month and on or before A (D0*, D1*,
-- D9986, D9987 left out unless all_codes), counted by the procedure's own
-- practice. Accepted = accepted_date <= A and <= diagnosed_date + W days.
-- rate_* = accepted / diagnosed (NULL when nothing was diagnosed); mature =
-- month end + W <= A; same_day = accepted on the diagnosed date.
-- With age_days set (equal age, section 1) a procedure counts as accepted only
-- if also accepted_date <= its month's last day + age_days; age_days is echoed.
-- Grain: one row per month in range. Unit: dollars, counts, ratios 0..1.
create or replace view metric_acceptance_monthly as
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
            or d.accepted_date <= last_day(d.diagnosed_date) + p.age_days
        ) as is_accepted_at_age
    from int_acceptance_cohort as d
    cross join params as p
    where getvariable('practice_id') is null or d.practice_id = getvariable('practice_id')
),

by_month as (
    select
        cast(date_trunc('month', diagnosed_date) as date) as month,
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
        m.month,
        m.month_end,
        coalesce(b.diagnosed_count, 0) as diagnosed_count,
        coalesce(b.diagnosed_amount, 0) as diagnosed_amount,
        coalesce(b.accepted_count, 0) as accepted_count,
        coalesce(b.accepted_amount, 0) as accepted_amount,
        coalesce(b.same_day_count, 0) as same_day_count,
        coalesce(b.same_day_amount, 0) as same_day_amount
    from int_months as m
    left join by_month as b on m.month = b.month
)

select
    f.month,
    f.diagnosed_count,
    f.diagnosed_amount,
    f.accepted_count,
    f.accepted_amount,
    case when f.diagnosed_count > 0 then f.accepted_count / f.diagnosed_count end as rate_count,
    case
        when f.diagnosed_amount <> 0 then f.accepted_amount / f.diagnosed_amount
    end as rate_amount,
    f.month_end + p.window_days <= p.as_of as mature,
    f.same_day_count,
    f.same_day_amount,
    p.age_days
from filled as f
cross join params as p
order by f.month;
