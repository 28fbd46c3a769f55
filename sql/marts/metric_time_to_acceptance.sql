-- Time to acceptance: for each cohort month in range and each day mark
-- (0, 7, 14, 30, 60, 90), the share of the month's diagnosed fee whose
-- accepted_date is on or before A and at most that many days after the
-- diagnosed date (the acceptance window W does not cut the curve).
-- Grain: one row per month x day mark. Unit: dollars, ratio 0..1.
create or replace view metric_time_to_acceptance as
with params as (
    select * from int_params
),

marks as (
    select unnest([0, 7, 14, 30, 60, 90]) as days
),

diagnosed as (
    select
        cast(date_trunc('month', d.diagnosed_date) as date) as month,
        d.fee,
        case
            when d.accepted_date <= p.as_of then d.accepted_date - d.diagnosed_date
        end as days_to_accept
    from int_acceptance_cohort as d
    cross join params as p
    where getvariable('practice_id') is null or d.practice_id = getvariable('practice_id')
),

curve as (
    select
        m.month,
        k.days,
        coalesce(sum(d.fee), 0) as diagnosed_amount,
        coalesce(sum(d.fee) filter (where d.days_to_accept <= k.days), 0) as accepted_amount
    from int_months as m
    cross join marks as k
    left join diagnosed as d on m.month = d.month
    group by m.month, k.days
)

select
    month,
    days,
    diagnosed_amount,
    accepted_amount,
    case when diagnosed_amount <> 0 then accepted_amount / diagnosed_amount end as share_amount
from curve
order by month, days;
