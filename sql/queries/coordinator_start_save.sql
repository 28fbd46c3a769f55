-- Coordinator page: set (or replace) the coordinator's start date of one scope.
-- Parameters: $1 practice_key (the practice id, '' = all practices), $2 member_id
-- (NULL = not named), $3 start_date.
insert or replace into coordinator_starts (practice_key, member_id, start_date, entered_at)
values ($1, $2, $3, current_timestamp);
