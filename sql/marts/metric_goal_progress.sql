-- Goal progress as of A (spec section 9), one row per goal of the goals table.
-- The goal's period is the week (Monday to Sunday) or calendar month holding
-- A; actual = the goal's metric over that period up to A, for the goal's
-- practice (NULL = all practices) and team member (the presenter for
-- acceptance metrics, the provider for production and unscheduled; ignored
-- for collections and new patients). Metrics: acceptance_rate_amount,
-- accepted_amount and diagnosed_amount (diagnosis cohort of the period, as
-- metric_acceptance_monthly), gross_production, net_production, collections,
-- new_patients, and unscheduled_amount (as of A; lower is better).
-- progress = actual / target (target / actual for unscheduled_amount). status:
-- for amounts and counts 'on track' when progress >= the elapsed share of the
-- period (days up to A / days in the period); for the rate 'on track' when
-- progress >= 1; for unscheduled_amount 'on track' when actual <= target;
-- otherwise 'behind'; 'no data' when there is no actual (a rate with nothing
-- diagnosed, or an unknown metric).
-- Grain: one row per goal. Unit: the metric's unit; progress a ratio.
create or replace view metric_goal_progress as
with params as (
    select * from int_params
),

periods as (
    select
        g.goal_id,
        g.metric,
        g.period,
        g.practice_id,
        g.member_id,
        g.target,
        case
            when g.period = 'week' then cast(date_trunc('week', p.as_of) as date)
            else cast(date_trunc('month', p.as_of) as date)
        end as period_start,
        case
            when g.period = 'week' then cast(date_trunc('week', p.as_of) as date) + 6
            else last_day(p.as_of)
        end as period_end,
        p.as_of
    from goals as g
    cross join params as p
),

recent as (
    -- The earliest day any goal's period can start (its week or month); no row
    -- without goals, so the daily sums below read nothing then.
    select
        least(
            cast(date_trunc('week', as_of) as date), cast(date_trunc('month', as_of) as date)
        ) as window_start,
        as_of
    from params
    where exists (select 1 from goals)
),

cohort_days as (
    select
        d.practice_id,
        d.presenter_id,
        d.diagnosed_date,
        sum(d.fee) as fee,
        sum(d.fee) filter (where d.is_accepted) as accepted_fee
    from int_acceptance_cohort as d
    cross join recent as r
    where d.diagnosed_date >= r.window_start
    group by d.practice_id, d.presenter_id, d.diagnosed_date
),

acceptance as (
    select
        g.goal_id,
        coalesce(sum(d.fee), 0) as diagnosed_amount,
        coalesce(sum(d.accepted_fee), 0) as accepted_amount
    from periods as g
    left join cohort_days as d
        on
            d.diagnosed_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = d.practice_id)
            and (g.member_id is null or g.member_id = d.presenter_id)
    group by g.goal_id
),

production_days as (
    select
        pr.practice_id,
        pr.provider_id,
        pr.completed_date,
        sum(pr.fee) as fee
    from int_procedures as pr
    cross join recent as r
    where
        pr.status = 'completed'
        and pr.completed_date between r.window_start and r.as_of
    group by pr.practice_id, pr.provider_id, pr.completed_date
),

production as (
    select
        g.goal_id,
        coalesce(sum(pr.fee), 0) as gross_production
    from periods as g
    left join production_days as pr
        on
            pr.completed_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = pr.practice_id)
            and (g.member_id is null or g.member_id = pr.provider_id)
    group by g.goal_id
),

money_days as (
    select m.*
    from int_daily_money as m
    cross join recent as r
    where m.event_date between r.window_start and r.as_of
),

adjustments as (
    select
        g.goal_id,
        coalesce(sum(a.adjustments), 0) as adjustments
    from periods as g
    left join money_days as a
        on
            a.event_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = a.practice_id)
    group by g.goal_id
),

collections as (
    select
        g.goal_id,
        coalesce(sum(pa.collections), 0) as collections
    from periods as g
    left join money_days as pa
        on
            pa.event_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = pa.practice_id)
    group by g.goal_id
),

new_patients as (
    select
        g.goal_id,
        count(pt.patient_id) as new_patients
    from periods as g
    left join int_patients as pt
        on
            pt.can_be_new
            and pt.first_visit_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = pt.practice_id)
    group by g.goal_id
),

open_groups as (
    select
        practice_id,
        provider_id,
        sum(fee) as fee
    from int_open_treatment
    where kind = 'unscheduled' and exists (select 1 from goals)
    group by practice_id, provider_id
),

unscheduled as (
    select
        g.goal_id,
        coalesce(sum(o.fee), 0) as unscheduled_amount
    from periods as g
    left join open_groups as o
        on
            (g.practice_id is null or g.practice_id = o.practice_id)
            and (g.member_id is null or g.member_id = o.provider_id)
    group by g.goal_id
),

actuals as (
    select
        g.*,
        (g.as_of - g.period_start + 1) / (g.period_end - g.period_start + 1) as elapsed_share,
        case g.metric
            when 'acceptance_rate_amount'
                then
                    case
                        when ac.diagnosed_amount <> 0
                            then cast(ac.accepted_amount / ac.diagnosed_amount as double)
                    end
            when 'accepted_amount' then cast(ac.accepted_amount as double)
            when 'diagnosed_amount' then cast(ac.diagnosed_amount as double)
            when 'gross_production' then cast(pr.gross_production as double)
            when 'net_production' then cast(pr.gross_production + ad.adjustments as double)
            when 'collections' then cast(co.collections as double)
            when 'new_patients' then cast(np.new_patients as double)
            when 'unscheduled_amount' then cast(un.unscheduled_amount as double)
        end as actual
    from periods as g
    inner join acceptance as ac on g.goal_id = ac.goal_id
    inner join production as pr on g.goal_id = pr.goal_id
    inner join adjustments as ad on g.goal_id = ad.goal_id
    inner join collections as co on g.goal_id = co.goal_id
    inner join new_patients as np on g.goal_id = np.goal_id
    inner join unscheduled as un on g.goal_id = un.goal_id
),

scored as (
    select
        *,
        case
            when metric = 'unscheduled_amount'
                then case when actual <> 0 then target / actual end
            when target <> 0 then actual / target
        end as progress
    from actuals
)

select
    goal_id,
    metric,
    period,
    practice_id,
    member_id,
    target,
    actual,
    progress,
    case
        when actual is null then 'no data'
        when metric = 'unscheduled_amount'
            then case when actual <= target then 'on track' else 'behind' end
        when metric = 'acceptance_rate_amount'
            then case when progress >= 1 then 'on track' else 'behind' end
        when progress >= elapsed_share then 'on track'
        else 'behind'
    end as status
from scored
order by goal_id;
