-- Coordinator start dates as entered, one row per scope ('' = all practices).
select
    practice_key,
    member_id,
    start_date,
    entered_at
from coordinator_starts
order by practice_key;
