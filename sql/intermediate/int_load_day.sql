-- The day of the newest load that wrote data, in the computer's time zone
-- (loads.finished_at is UTC; a load that found nothing changed is only a
-- history row); today when nothing is recorded as loaded. Event dates after it are
-- data errors (spec: metrics.md, notation). Grain: one row. Unit: date.
create or replace view int_load_day as
select coalesce(max(cast(timezone('UTC', finished_at) as date)), current_date) as load_day
from loads
where not unchanged;
