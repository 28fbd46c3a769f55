-- Goal progress of the follow-up goals (spec sections 9 and 10), as of A: one row
-- per goal whose metric is followup_contacts, followup_patients, followup_speed,
-- followup_recovered or followup_overdue, in metric_goal_progress's columns (that
-- view leaves these metrics 'no data'; they read the log, which is never
-- precomputed). The period is the week (Monday to Sunday) or month holding A;
-- actual = the measure over the period up to A for the goal's practice (NULL = all)
-- and team member (who made the contact; for speed, who made the first contact;
-- for overdue, who made the latest contact): contacts made, patients contacted,
-- follow-up speed (share of the patients whose oldest unscheduled diagnosis is in
-- the period first contacted within 7 days; NULL without such patients), dollars
-- recovered (accepted in the period) and overdue follow-ups as of A (direction
-- 'at most'; the others 'at least'). progress = actual / target (NULL when the
-- target is 0), as in metric_goal_progress. status: counts and dollars 'on track'
-- when progress >= the elapsed share of the period; speed when progress >= 1;
-- overdue when actual <= target; else 'behind'; 'no data' when there is no
-- actual. The columns are metric_goal_progress's, so caseboard.review.goals lays
-- both out alike. Grain: one row per follow-up goal. Unit: the metric's unit.
create or replace view metric_followup_goal_progress as
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
        p.as_of,
        case
            when g.period = 'week' then cast(date_trunc('week', p.as_of) as date)
            else cast(date_trunc('month', p.as_of) as date)
        end as period_start,
        case
            when g.period = 'week' then cast(date_trunc('week', p.as_of) as date) + 6
            else last_day(p.as_of)
        end as period_end
    from goals as g
    cross join params as p
    where
        g.metric in (
            'followup_contacts', 'followup_patients', 'followup_speed', 'followup_recovered',
            'followup_overdue'
        )
),

contacts as (
    select
        g.goal_id,
        count(f.followup_id) as contacts,
        count(distinct [f.source_id, f.patient_id]) filter (
            where f.followup_id is not null
        ) as patients
    from periods as g
    left join int_followups as f
        on
            f.contact_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = f.practice_id)
            and (g.member_id is null or g.member_id = f.team_member_id)
    group by g.goal_id
),

speed as (
    select
        g.goal_id,
        count(s.patient_id) as speed_patients,
        count(s.patient_id) filter (where s.fast) as speed_fast
    from periods as g
    left join int_followup_speed as s
        on
            s.oldest_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = s.practice_id)
            and (g.member_id is null or g.member_id = s.team_member_id)
    group by g.goal_id
),

recovered_once as (
    select distinct
        source_id,
        procedure_id,
        practice_id,
        fee,
        accepted_date
    from int_followup_recovered
),

recovered as (
    select
        g.goal_id,
        coalesce(sum(r.fee), 0) as recovered
    from periods as g
    left join recovered_once as r
        on
            r.accepted_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = r.practice_id)
    where g.member_id is null
    group by g.goal_id
),

recovered_by_member as (
    select
        g.goal_id,
        coalesce(sum(r.fee), 0) as recovered
    from periods as g
    left join int_followup_recovered as r
        on
            r.accepted_date between g.period_start and g.as_of
            and (g.practice_id is null or g.practice_id = r.practice_id)
            and g.member_id = r.team_member_id
    where g.member_id is not null
    group by g.goal_id
),

overdue as (
    select
        g.goal_id,
        count(l.patient_id) as overdue
    from periods as g
    left join metric_followup_latest as l
        on
            l.overdue
            and (g.practice_id is null or g.practice_id = l.practice_id)
            and (g.member_id is null or g.member_id = l.team_member_id)
    group by g.goal_id
),

actuals as (
    select
        g.*,
        (g.as_of - g.period_start + 1) / (g.period_end - g.period_start + 1) as elapsed_share,
        case g.metric
            when 'followup_contacts' then cast(c.contacts as double)
            when 'followup_patients' then cast(c.patients as double)
            when 'followup_speed'
                then
                    case
                        when s.speed_patients > 0
                            then round(s.speed_fast / s.speed_patients, 4)
                    end
            when 'followup_recovered' then cast(coalesce(r.recovered, rm.recovered) as double)
            when 'followup_overdue' then cast(o.overdue as double)
        end as actual
    from periods as g
    inner join contacts as c on g.goal_id = c.goal_id
    inner join speed as s on g.goal_id = s.goal_id
    inner join overdue as o on g.goal_id = o.goal_id
    left join recovered as r on g.goal_id = r.goal_id
    left join recovered_by_member as rm on g.goal_id = rm.goal_id
),

scored as (
    select
        *,
        case when target <> 0 then actual / target end as progress
    from actuals
),

members as (
    select
        member_id,
        min(coalesce(name, member_id)) as member_name
    from stg_team
    group by member_id
)

select
    s.goal_id,
    s.metric,
    s.period,
    s.practice_id,
    s.member_id,
    m.member_name,
    case when s.metric = 'followup_overdue' then 'at most' else 'at least' end as direction,
    s.target,
    s.actual,
    s.progress,
    s.period_start,
    s.period_end,
    s.as_of as measured_to,
    case
        when s.actual is null then 'no data'
        when s.metric = 'followup_overdue'
            then case when s.actual <= s.target then 'on track' else 'behind' end
        when s.metric = 'followup_speed'
            then case when s.progress >= 1 then 'on track' else 'behind' end
        when s.progress >= s.elapsed_share then 'on track'
        else 'behind'
    end as status
from scored as s
left join members as m on s.member_id = m.member_id
order by s.goal_id;
