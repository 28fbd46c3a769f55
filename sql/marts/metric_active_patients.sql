-- Active patients as of A (spec section 3): patients not deceased, archived,
-- prospective or nonpatient with a completed procedure (not D9986/D9987) dated
-- in (A - active_months calendar months, A] (month-end clamped: 2026-08-31
-- minus 18 months = 2025-02-28). Filtered by the patient's practice.
-- Grain: one row. Unit: patients.
create or replace view metric_active_patients as
with params as (
    select * from int_params
),

last_visits as (
    -- each patient's last visit on or before A (at most one row per patient)
    select v.completed_date
    from int_visit_days as v
    cross join params as p
    where
        v.patient_can_be_active
        and (
            getvariable('practice_id') is null
            or v.patient_practice_id = getvariable('practice_id')
        )
        and v.completed_date <= p.as_of
        and (v.next_completed_date is null or v.next_completed_date > p.as_of)
)

select count(*) as active_patients
from last_visits as v
cross join params as p
where v.completed_date > cast(p.as_of - to_months(p.active_months) as date);
