-- Dashboard: add one goal. Parameters: $1 metric, $2 target, $3 period ('week' or
-- 'month'), $4 practice_id (NULL = all practices), $5 member_id (NULL = whole team).
insert into goals (metric, target, period, practice_id, member_id)
values ($1, $2, $3, $4, $5);
