-- Report footer and dashboard: when the newest load finished (the data's
-- freshness). Grain: one row.
select max(finished_at) as last_load
from loads;
