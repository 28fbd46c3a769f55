-- Patients with their first visit: the recorded first_visit_date, else the
-- earliest completed_date of their completed procedures (D9986/D9987 left
-- out). Grain: one row per (source_id, patient_id).
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views) and read by the views above it; sorted by
-- practice and first visit.
create or replace table int_patients as
with derived as (
    select
        source_id,
        patient_id,
        min(completed_date) as first_completed_date
    from int_procedures
    where status = 'completed' and is_visit_code and completed_date is not null
    group by source_id, patient_id
)

select
    pa.source_id,
    pa.patient_id,
    pa.practice_id,
    pa.first_name,
    pa.last_name,
    pa.phone,
    pa.email,
    pa.status,
    pa.referral_source,
    pa.first_visit_date as recorded_first_visit_date,
    coalesce(pa.first_visit_date, d.first_completed_date) as first_visit_date,
    pa.status not in ('prospective', 'nonpatient') as can_be_new,
    pa.status not in ('deceased', 'archived', 'prospective', 'nonpatient') as can_be_active
from stg_patients as pa
left join derived as d
    on pa.source_id = d.source_id and pa.patient_id = d.patient_id
order by pa.practice_id, first_visit_date;
