-- Audit: every monthly metric has exactly the months month_from .. month_to,
-- every weekly metric exactly the weeks week_from .. week_to, and periods
-- starting after A show zeros. Returns (view, period, problem) rows.
with params as (
    select * from int_params
),

monthly as (
    select
        'metric_acceptance_monthly' as view_name,
        month as period,
        diagnosed_count as n
    from metric_acceptance_monthly
    union all
    select
        'metric_acceptance_cases' as view_name,
        month,
        case_count
    from metric_acceptance_cases
    union all
    select
        'metric_new_patients_monthly' as view_name,
        month,
        count
    from metric_new_patients_monthly
    union all
    select
        'metric_active_patients_monthly' as view_name,
        month,
        active_patients
    from metric_active_patients_monthly
    union all
    select
        'metric_production_monthly' as view_name,
        month,
        case
            when gross_production <> 0 or collections <> 0 or adjustments <> 0 then 1 else 0
        end as n
    from metric_production_monthly
),

weekly as (
    select
        'metric_acceptance_weekly' as view_name,
        week_start as period,
        diagnosed_count as n
    from metric_acceptance_weekly
    union all
    select
        'metric_new_patients_weekly' as view_name,
        week_start,
        count
    from metric_new_patients_weekly
    union all
    select
        'metric_production_weekly' as view_name,
        week_start,
        case
            when gross_production <> 0 or collections <> 0 or adjustments <> 0 then 1 else 0
        end as n
    from metric_production_weekly
),

month_counts as (
    select
        view_name,
        count(*) as months,
        count(distinct period) as distinct_months
    from monthly
    group by view_name
),

week_counts as (
    select
        view_name,
        count(*) as weeks,
        count(distinct period) as distinct_weeks
    from weekly
    group by view_name
)

select
    m.view_name,
    m.period,
    'month outside range' as problem
from monthly as m
cross join params as p
where m.period < p.month_from or m.period > p.month_to or m.period <> date_trunc('month', m.period)
union all
select
    m.view_name,
    m.period,
    'activity after A' as problem
from monthly as m
cross join params as p
where m.period > p.as_of and m.n <> 0
union all
select
    w.view_name,
    w.period,
    'week outside range' as problem
from weekly as w
cross join params as p
where w.period < p.week_from or w.period > p.week_to or dayofweek(w.period) <> 1
union all
select
    w.view_name,
    w.period,
    'activity after A' as problem
from weekly as w
cross join params as p
where w.period > p.as_of and w.n <> 0
union all
select
    c.view_name,
    null as period,
    'missing or repeated months' as problem
from month_counts as c
cross join params as p
where
    c.months <> c.distinct_months
    or c.months <> datediff('month', p.month_from, p.month_to) + 1
union all
select
    c.view_name,
    null as period,
    'missing or repeated weeks' as problem
from week_counts as c
cross join params as p
where
    c.weeks <> c.distinct_weeks
    or c.weeks <> datediff('week', p.week_from, p.week_to) + 1;
