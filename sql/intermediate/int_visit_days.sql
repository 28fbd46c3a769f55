-- Every completed visit day, whatever A: the distinct days each patient had a
-- completed procedure that is a visit (status completed, code not
-- D9986/D9987), with the patient's practice and whether the patient can be
-- active (NULL for a patient missing from the patients table, who never
-- counts as active), and the patient's next visit day (NULL after the last):
-- the visit with completed_date <= T < next_completed_date is the patient's
-- last visit as of T, so active patients are counted without DISTINCT.
-- int_visits keeps the days on or before A.
-- Grain: one row per (source_id, patient_id, completed_date).
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views); sorted by the patient's practice and date.
create or replace table int_visit_days as
with days as (
    select distinct
        source_id,
        patient_id,
        completed_date
    from int_procedures
    where status = 'completed' and is_visit_code and completed_date is not null
)

select
    d.source_id,
    d.patient_id,
    d.completed_date,
    lead(d.completed_date) over (
        partition by d.source_id, d.patient_id order by d.completed_date
    ) as next_completed_date,
    pt.practice_id as patient_practice_id,
    pt.can_be_active as patient_can_be_active
from days as d
left join int_patients as pt
    on d.source_id = pt.source_id and d.patient_id = pt.patient_id
order by pt.practice_id, d.completed_date;
