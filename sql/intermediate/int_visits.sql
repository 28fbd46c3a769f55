-- Completed visits: one row per completed procedure that is a visit (status
-- completed, code not D9986/D9987), dated on or before A, with the patient's
-- practice. Drives active patients and the worklist's last visit.
-- Grain: one row per completed procedure.
create or replace view int_visits as
select
    pr.source_id,
    pr.patient_id,
    pr.patient_practice_id,
    pr.completed_date
from int_procedures as pr
cross join int_params as p
where
    pr.status = 'completed'
    and pr.is_visit_code
    and pr.completed_date <= p.as_of;
