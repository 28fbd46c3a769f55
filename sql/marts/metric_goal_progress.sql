-- Goal progress (spec section 9), one row per goal of the goals table,
-- measured over the goal's period (the week, Monday to Sunday, or calendar
-- month) holding A. The reviewing page sets A to the date it reviews
-- (caseboard.review.goals.goal_request: the weekly review's selected week's
-- Sunday, capped at the data's as-of date; elsewhere the as-of date), so
-- period_start .. period_end is the period shown and measured_to = A the last
-- day counted (every figure counts events up to it; an acceptance goal counts
-- acceptances by it, so every period is measured at the same age, 0 days
-- after the reviewed date). actual = the goal's metric for the goal's practice
-- (NULL = all practices) and team member (the presenter for acceptance
-- metrics, the provider for production and unscheduled; ignored for the
-- rest). Metrics: acceptance_rate_amount, accepted_amount, diagnosed_amount
-- (diagnosis cohort of the period), gross_production, net_production,
-- collections, new_patients (events in the period), and, as of A,
-- unscheduled_amount, ar_91_plus (A/R over 90 days, FIFO) and claims_over_30
-- (billed amount of claims outstanding more than 30 days). direction: 'at
-- most' for unscheduled_amount, ar_91_plus and claims_over_30, else 'at
-- least'. progress = actual / target (NULL when the target is 0). status:
-- 'no data' without an actual (a rate with nothing diagnosed); at most: 'on
-- track' while actual <= target; the rate: 'on track' when actual >= target;
-- amounts and counts: 'on track' when progress >= the elapsed share of the
-- period (days up to A / days in the period); otherwise 'behind'.
-- member_name = the team member's name (NULL = whole team).
-- Grain: one row per goal. Unit: the metric's unit (rates 0..1); progress a
-- ratio.
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

ar_groups as (
    -- A/R over 90 days per practice; computed only when a goal asks for it.
    select
        a.patient_practice_id as practice_id,
        sum(a.open_amount) as ar_91_plus
    from int_ar_open_charges as a
    cross join params as p
    where
        p.as_of - a.entry_date > 90
        and exists (
            select 1 from goals as wanted
            where wanted.metric = 'ar_91_plus'
        )
    group by a.patient_practice_id
),

ar as (
    select
        g.goal_id,
        coalesce(sum(a.ar_91_plus), 0) as ar_91_plus
    from periods as g
    left join ar_groups as a
        on g.practice_id is null or g.practice_id = a.practice_id
    group by g.goal_id
),

claim_groups as (
    select
        c.practice_id,
        sum(c.billed_amount) as claims_over_30
    from stg_claims as c
    cross join params as p
    where
        c.sent_date <= p.as_of
        and (c.received_date is null or c.received_date > p.as_of)
        and p.as_of - c.sent_date > 30
        and exists (
            select 1 from goals as wanted
            where wanted.metric = 'claims_over_30'
        )
    group by c.practice_id
),

claims as (
    select
        g.goal_id,
        coalesce(sum(c.claims_over_30), 0) as claims_over_30
    from periods as g
    left join claim_groups as c
        on g.practice_id is null or g.practice_id = c.practice_id
    group by g.goal_id
),

members as (
    select
        member_id,
        min(coalesce(name, member_id)) as member_name
    from stg_team
    group by member_id
),

actuals as (
    select
        g.*,
        (g.as_of - g.period_start + 1) / (g.period_end - g.period_start + 1) as elapsed_share,
        case
            when g.metric in ('unscheduled_amount', 'ar_91_plus', 'claims_over_30')
                then 'at most'
            else 'at least'
        end as direction,
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
            when 'ar_91_plus' then cast(ar.ar_91_plus as double)
            when 'claims_over_30' then cast(cl.claims_over_30 as double)
        end as actual
    from periods as g
    inner join acceptance as ac on g.goal_id = ac.goal_id
    inner join production as pr on g.goal_id = pr.goal_id
    inner join adjustments as ad on g.goal_id = ad.goal_id
    inner join collections as co on g.goal_id = co.goal_id
    inner join new_patients as np on g.goal_id = np.goal_id
    inner join unscheduled as un on g.goal_id = un.goal_id
    inner join ar on g.goal_id = ar.goal_id
    inner join claims as cl on g.goal_id = cl.goal_id
),

scored as (
    select
        *,
        case when target <> 0 then actual / target end as progress
    from actuals
)

select
    s.goal_id,
    s.metric,
    s.period,
    s.practice_id,
    s.member_id,
    m.member_name,
    s.direction,
    s.target,
    s.actual,
    s.progress,
    s.period_start,
    s.period_end,
    s.as_of as measured_to,
    case
        when s.actual is null then 'no data'
        when s.direction = 'at most'
            then case when s.actual <= s.target then 'on track' else 'behind' end
        when s.metric = 'acceptance_rate_amount'
            then case when s.actual >= s.target then 'on track' else 'behind' end
        when s.progress >= s.elapsed_share then 'on track'
        else 'behind'
    end as status
from scored as s
left join members as m on s.member_id = m.member_id
order by s.goal_id;
