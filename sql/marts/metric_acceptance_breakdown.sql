-- Case acceptance over the months in range, broken down by presenter (the
-- plan's presenter; no plan or no presenter = 'Unassigned'), diagnosing
-- provider, CDT category and case size (case fee < $500, $500-1,999,
-- $2,000-4,999, >= $5,000). Same diagnosed/accepted definitions as
-- metric_acceptance_monthly. Grain: one row per dimension x label.
-- Unit: dollars, counts, ratios 0..1.
create or replace view metric_acceptance_breakdown as
with params as (
    select * from int_params
),

diagnosed as (
    select d.*
    from int_diagnosed_procedures as d
    cross join params as p
    where
        (getvariable('practice_id') is null or d.practice_id = getvariable('practice_id'))
        and d.diagnosed_date >= p.month_from
        and d.diagnosed_date <= last_day(p.month_to)
),

labelled as (
    select
        'presenter' as dimension,
        presenter_label as label,
        fee,
        is_accepted
    from diagnosed
    union all
    select
        'provider' as dimension,
        provider_label as label,
        fee,
        is_accepted
    from diagnosed
    union all
    select
        'category' as dimension,
        category as label,
        fee,
        is_accepted
    from diagnosed
    union all
    select
        'case_size' as dimension,
        case_size as label,
        fee,
        is_accepted
    from diagnosed
),

grouped as (
    select
        dimension,
        label,
        count(*) as diagnosed_count,
        sum(fee) as diagnosed_amount,
        count(*) filter (where is_accepted) as accepted_count,
        coalesce(sum(fee) filter (where is_accepted), 0) as accepted_amount
    from labelled
    group by dimension, label
)

select
    dimension,
    label,
    diagnosed_count,
    diagnosed_amount,
    accepted_count,
    accepted_amount,
    case when diagnosed_count > 0 then accepted_count / diagnosed_count end as rate_count,
    case when diagnosed_amount <> 0 then accepted_amount / diagnosed_amount end as rate_amount
from grouped
order by dimension asc, diagnosed_amount desc, label asc;
