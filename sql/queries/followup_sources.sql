-- Follow-up import: which source holds each (practice, patient) of the loaded data,
-- removed patients included (their log entries are kept). Main database.
select distinct
    source_id,
    practice_id,
    patient_id
from raw_patients;
