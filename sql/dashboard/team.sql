-- Dashboard: team members for the goal editor (id, name, role, practice).
select
    member_id,
    coalesce(name, member_id) as name,
    role,
    practice_id
from stg_team
order by name;
