-- Overdue follow-ups as of A (spec section 10): patients whose latest contact set a
-- next-contact date before A, with no later contact and no acceptance since
-- (metric_followup_latest.overdue), for the whole team (is_team, team_member_id
-- NULL) and per team member of that latest contact.
-- Grain: one row for the team plus one per member with overdue patients.
-- Unit: patients.
create or replace view metric_followup_overdue as
select
    null as team_member_id,
    true as is_team,
    count(*) filter (where overdue) as overdue_patients
from metric_followup_latest
union all
select
    team_member_id,
    false as is_team,
    count(*) as overdue_patients
from metric_followup_latest
where overdue
group by team_member_id
order by is_team desc, team_member_id asc nulls first;
