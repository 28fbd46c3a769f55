-- Dashboard: add one goal. Parameters: metric, target, period ('week' or 'month'),
-- practice_id (NULL = all practices), member_id (NULL = whole team).
insert into goals (metric, target, period, practice_id, member_id)
values (?, ?, ?, ?, ?);
