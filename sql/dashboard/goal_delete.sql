-- Dashboard: remove one goal. Parameter: goal_id.
delete from goals where goal_id = ?;
