-- Payback of a treatment coordinator (spec section 8) for the practice shown
-- (or all practices), as of A, with every input beside the result.
-- Basis months: the 6 most recent mature months (month end + W <= A):
-- basis_from .. basis_to (first days). D = their diagnosed fee / 6 (the
-- acceptance code rule in force); r = accepted fee / diagnosed fee (NULL when
-- nothing was diagnosed); c = fee of those accepted procedures with status
-- completed and completed_date <= A / accepted fee (1 when nothing was
-- accepted). Over the 12 complete months before A's month (production_from ..
-- production_to): n = net / gross production and k = collections / net
-- production, NULL when the denominator is <= 0 (then no payback).
-- v = variable cost share (lab and supplies); C = coordinator_cost a year;
-- t = target_rate, or when unset r + 10 points rounded to a whole percent
-- (at most 100 %). monthly_gain G = D x (t - r) x c x n x k x (1 - v);
-- monthly_cost = C / 12; monthly_net = G - C / 12; pays_for_itself =
-- monthly_net > 0; break_even_rate = r + (C / 12) / (D x c x n x k x (1 - v))
-- (NULL when that denominator is 0). gain_plus_5/10/20 = the gain at r + 5,
-- 10 and 20 points. Everything is NULL that an input missing makes unknown.
-- Grain: one row. Unit: dollars a month, shares and rates 0..1.
create or replace view metric_payback as
with params as (
    select
        *,
        cast(date_trunc('month', as_of - window_days + 1) - interval 1 month as date)
            as basis_to,
        cast(date_trunc('month', as_of) as date) as this_month
    from int_params
),

basis as (
    select
        basis_to,
        cast(basis_to - to_months(5) as date) as basis_from,
        cast(this_month - to_months(12) as date) as production_from,
        cast(this_month - to_months(1) as date) as production_to,
        last_day(basis_to) as basis_end
    from params
),

cohort as (
    select
        d.fee,
        d.is_accepted,
        d.is_accepted and pr.status = 'completed' and pr.completed_date <= p.as_of
            as is_completed
    from int_acceptance_cohort as d
    cross join basis as b
    cross join params as p
    inner join int_procedures as pr
        on d.source_id = pr.source_id and d.procedure_id = pr.procedure_id
    where
        d.diagnosed_date >= b.basis_from
        and d.diagnosed_date <= b.basis_end
        and (getvariable('practice_id') is null or d.practice_id = getvariable('practice_id'))
),

acceptance as (
    select
        coalesce(sum(fee), 0) as diagnosed_amount,
        coalesce(sum(fee) filter (where is_accepted), 0) as accepted_amount,
        coalesce(sum(fee) filter (where is_completed), 0) as completed_amount
    from cohort
),

money as (
    select
        coalesce(sum(m.gross_production), 0) as gross_production,
        coalesce(sum(m.gross_production + m.adjustments), 0) as net_production,
        coalesce(sum(m.collections), 0) as collections
    from int_daily_money as m
    cross join basis as b
    where
        m.event_date >= b.production_from
        and m.event_date < b.production_to + interval 1 month
        and (getvariable('practice_id') is null or m.practice_id = getvariable('practice_id'))
),

inputs as (
    select
        b.*,
        a.diagnosed_amount,
        a.accepted_amount,
        a.completed_amount,
        m.gross_production,
        m.net_production,
        m.collections,
        p.variable_cost as variable_cost_share,
        p.coordinator_cost,
        p.target_rate as target_set,
        a.diagnosed_amount / 6 as monthly_diagnosed,
        case
            when a.diagnosed_amount <> 0 then a.accepted_amount / a.diagnosed_amount
        end as current_rate,
        case
            when a.accepted_amount <> 0 then a.completed_amount / a.accepted_amount else 1
        end as completion_share,
        case
            when m.gross_production > 0 then m.net_production / m.gross_production
        end as net_share,
        case
            when m.net_production > 0 then m.collections / m.net_production
        end as collection_rate
    from basis as b
    cross join acceptance as a
    cross join money as m
    cross join params as p
),

factored as (
    select
        *,
        coalesce(
            target_set, least(1.0, round(cast(current_rate as double) + 0.10, 2))
        ) as target_rate,
        cast(monthly_diagnosed as double) * completion_share * net_share * collection_rate
        * (1 - variable_cost_share) as gain_per_rate,
        coordinator_cost / 12 as monthly_cost
    from inputs
)

select
    basis_from,
    basis_to,
    diagnosed_amount,
    accepted_amount,
    completed_amount,
    production_from,
    production_to,
    gross_production,
    net_production,
    collections,
    monthly_diagnosed,
    current_rate,
    completion_share,
    net_share,
    collection_rate,
    variable_cost_share,
    coordinator_cost,
    target_rate,
    monthly_cost,
    target_set is null as target_is_default,
    gain_per_rate * (target_rate - current_rate) as monthly_gain,
    gain_per_rate * (target_rate - current_rate) - monthly_cost as monthly_net,
    gain_per_rate * (target_rate - current_rate) - monthly_cost > 0 as pays_for_itself,
    case when gain_per_rate <> 0 then current_rate + monthly_cost / gain_per_rate end
        as break_even_rate,
    gain_per_rate * 0.05 as gain_plus_5,
    gain_per_rate * 0.10 as gain_plus_10,
    gain_per_rate * 0.20 as gain_plus_20
from factored;
