-- The practices loaded, per export source, with their patient counts (not
-- filtered by the practice parameter). Grain: one row per practice x source.
-- Unit: patients.
create or replace view metric_practices as
select
    practice_id,
    source_id,
    count(*) as patient_count
from stg_patients
group by practice_id, source_id
order by practice_id, source_id;
