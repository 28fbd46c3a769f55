-- Dashboard: change one goal. Parameters: $1 goal_id, $2 metric, $3 target (rates as a
-- fraction), $4 period ('week' or 'month'), $5 member_id (NULL = whole team).
update goals
set metric = $2, target = $3, period = $4, member_id = $5
where goal_id = $1;
