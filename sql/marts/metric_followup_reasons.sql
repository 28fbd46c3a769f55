-- Declined reasons (spec section 10): contacts with outcome declined in the months
-- in range (up to A), counted by reason, for the whole team (is_team,
-- team_member_id NULL; every reason listed, zeros included) and per team member
-- (reasons that member recorded). Grain: reason x (team | member). Unit: contacts.
create or replace view metric_followup_reasons as
with params as (
    select * from int_params
),

declined as (
    select
        f.reason,
        f.team_member_id
    from int_followups as f
    cross join params as p
    where
        f.outcome = 'declined'
        and f.contact_date between p.month_from and p.as_of
        and f.contact_date <= last_day(p.month_to)
        and (p.practice_id is null or f.practice_id = p.practice_id)
),

reasons as (
    select
        unnest(['cost', 'insurance', 'timing', 'fear', 'second_opinion', 'other']) as reason,
        generate_subscripts(
            ['cost', 'insurance', 'timing', 'fear', 'second_opinion', 'other'], 1
        ) as sort_order
)

select
    r.reason,
    r.sort_order,
    null as team_member_id,
    true as is_team,
    count(d.reason) as declined_count
from reasons as r
left join declined as d on r.reason = d.reason
group by r.reason, r.sort_order
union all
select
    d.reason,
    r.sort_order,
    d.team_member_id,
    false as is_team,
    count(*) as declined_count
from declined as d
inner join reasons as r on d.reason = r.reason
group by d.reason, r.sort_order, d.team_member_id
order by is_team desc, team_member_id asc nulls first, sort_order asc;
