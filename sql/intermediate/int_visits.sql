-- Completed visits: the distinct days each patient had a completed procedure
-- that is a visit (status completed, code not D9986/D9987), on or before A.
-- Drives active patients and the worklist's last visit.
-- Grain: one row per (source_id, patient_id, completed_date).
create or replace view int_visits as
select distinct
    pr.source_id,
    pr.patient_id,
    pr.completed_date
from stg_procedures as pr
cross join int_params as p
where
    pr.status = 'completed'
    and pr.code not in ('D9986', 'D9987')
    and pr.completed_date <= p.as_of;
