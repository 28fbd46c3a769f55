-- Dashboard: remove one goal. Parameter: $1 goal_id.
delete from goals
where goal_id = $1;
