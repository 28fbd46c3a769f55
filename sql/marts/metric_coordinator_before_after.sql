-- Acceptance before and after a coordinator started (issue 14; section 1
-- rules, the code rule in force), for the start date coordinator_start
-- (entered on the Coordinator page): "before" = the 6 calendar months before
-- the start's month; "after" = the 6 months from the first whole month on
-- the job (the start's month when it starts on the 1st, else the next one).
-- Only mature months count (month end + W <= A): months_counted says how
-- many. Per period and case size band (the case's fee, as in the
-- breakdowns) plus 'All cases': cases, diagnosed and accepted procedures
-- and fees, rate_amount and rate_count (NULL when nothing was diagnosed).
-- No rows without a start date.
-- Grain: period x case size (5 rows each). Unit: counts, dollars, ratios 0..1.
create or replace view metric_coordinator_before_after as
with params as (
    select
        *,
        cast(date_trunc('month', coordinator_start) as date) as start_month,
        cast(date_trunc('month', coordinator_start - 1) as date) + interval 1 month
            as first_after
    from int_params
    where coordinator_start is not null
),

periods as (
    select
        'before' as period,
        1 as period_order,
        cast(start_month - to_months(6) as date) as period_from
    from params
    union all
    select
        'after' as period,
        2 as period_order,
        cast(first_after as date) as period_from
    from params
),

months as (
    select
        pe.period,
        pe.period_order,
        cast(unnest(generate_series(
            pe.period_from, pe.period_from + to_months(5), interval 1 month
        )) as date) as cohort_month
    from periods as pe
),

mature_months as (
    select m.*
    from months as m
    cross join params as p
    where last_day(m.cohort_month) + p.window_days <= p.as_of
),

counted as (
    select
        period,
        period_order,
        count(*) as months_counted
    from mature_months
    group by period, period_order
),

cohort as (
    select
        m.period,
        d.case_size,
        d.case_size_order,
        d.case_num,
        d.fee,
        d.is_accepted
    from int_diagnosed_procedures as d
    inner join mature_months as m
        on cast(date_trunc('month', d.diagnosed_date) as date) = m.cohort_month
    where getvariable('practice_id') is null or d.practice_id = getvariable('practice_id')
),

bands as (
    select
        v.case_size,
        v.case_size_order
    from (
        values
        ('< $500', 1), ('$500-1,999', 2), ('$2,000-4,999', 3), ('>= $5,000', 4),
        ('All cases', 5)
    ) as v (case_size, case_size_order)
),

grouped as (
    select
        period,
        coalesce(case_size, 'All cases') as case_size,
        count(distinct case_num) as case_count,
        count(*) as diagnosed_count,
        sum(fee) as diagnosed_amount,
        count(*) filter (where is_accepted) as accepted_count,
        coalesce(sum(fee) filter (where is_accepted), 0) as accepted_amount
    from cohort
    group by grouping sets ((period, case_size), (period))
)

select
    pe.period,
    b.case_size,
    coalesce(c.months_counted, 0) as months_counted,
    coalesce(g.case_count, 0) as case_count,
    coalesce(g.diagnosed_count, 0) as diagnosed_count,
    coalesce(g.diagnosed_amount, 0) as diagnosed_amount,
    coalesce(g.accepted_count, 0) as accepted_count,
    coalesce(g.accepted_amount, 0) as accepted_amount,
    case when g.diagnosed_amount <> 0 then g.accepted_amount / g.diagnosed_amount end
        as rate_amount,
    case when g.diagnosed_count > 0 then g.accepted_count / g.diagnosed_count end
        as rate_count
from periods as pe
cross join bands as b
left join counted as c on pe.period = c.period
left join grouped as g on pe.period = g.period and b.case_size = g.case_size
order by pe.period_order, b.case_size_order;
