-- Dashboard: team members for the goal editor (id, display name, role, practice).
select
    member_id,
    role,
    practice_id,
    coalesce(name, member_id) as member_name
from stg_team
order by member_name;
