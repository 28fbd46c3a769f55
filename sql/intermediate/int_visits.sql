-- Completed visits: the distinct days each patient had a completed procedure
-- that is a visit (status completed, code not D9986/D9987), on or before A
-- (the materialized int_visit_days cut at A).
-- Drives active patients and the worklist's last visit.
-- Grain: one row per (source_id, patient_id, completed_date).
create or replace view int_visits as
select
    v.source_id,
    v.patient_id,
    v.completed_date
from int_visit_days as v
cross join int_params as p
where v.completed_date <= p.as_of;
