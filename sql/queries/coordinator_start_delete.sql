-- Coordinator page: forget the coordinator's start date of one scope.
-- Parameter: $1 practice_key (the practice id, '' = all practices).
delete from coordinator_starts
where practice_key = $1;
