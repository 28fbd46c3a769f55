-- Audit: each acceptance breakdown dimension adds up to the monthly totals over
-- the range, the time-to-acceptance curve never falls and never exceeds the
-- cohort, and its cohort equals the month's diagnosed fee. Returns mismatches.
with monthly as (
    select
        sum(diagnosed_amount) as diagnosed_amount,
        sum(accepted_amount) as accepted_amount,
        sum(diagnosed_count) as diagnosed_count
    from metric_acceptance_monthly
),

dimensions as (
    select
        dimension,
        sum(diagnosed_amount) as diagnosed_amount,
        sum(accepted_amount) as accepted_amount,
        sum(diagnosed_count) as diagnosed_count
    from metric_acceptance_breakdown
    group by dimension
),

curve as (
    select
        t.month,
        t.days,
        t.diagnosed_amount,
        t.accepted_amount,
        m.diagnosed_amount as month_diagnosed,
        lag(t.accepted_amount) over (partition by t.month order by t.days) as previous_accepted
    from metric_time_to_acceptance as t
    inner join metric_acceptance_monthly as m on t.month = m.month
)

select
    d.dimension as problem,
    d.diagnosed_amount,
    m.diagnosed_amount as expected
from dimensions as d
cross join monthly as m
where
    d.diagnosed_amount <> m.diagnosed_amount
    or d.accepted_amount <> m.accepted_amount
    or d.diagnosed_count <> m.diagnosed_count
union all
select
    'time_to_acceptance ' || strftime(month, '%Y-%m') || ' day ' || days as problem,
    accepted_amount,
    diagnosed_amount
from curve
where
    accepted_amount > diagnosed_amount
    or accepted_amount < previous_accepted
    or diagnosed_amount <> month_diagnosed;
