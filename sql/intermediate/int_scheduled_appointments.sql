-- Appointments with status scheduled, whatever A (the worklist keeps those
-- starting on a day after A).
-- Grain: one row per appointment.
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views); a small table instead of a scan of every
-- appointment with its status lower-cased on each request.
create or replace table int_scheduled_appointments as
select
    source_id,
    appointment_id,
    patient_id,
    start_at,
    start_date
from stg_appointments
where status = 'scheduled'
order by source_id, patient_id;
