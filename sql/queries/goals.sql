-- Dashboard: every goal as entered, newest first.
select
    goal_id,
    metric,
    target,
    period,
    practice_id,
    member_id,
    created_at
from goals
order by created_at desc, goal_id desc;
