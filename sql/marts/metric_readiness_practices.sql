-- Coordinator readiness of each practice as of A (spec section 8; the
-- readiness.practices list of the JSON): per practice, active_patients (as in
-- metric_active_patients, counted by the patient's practice),
-- new_patients_avg_3m (new patients of the 3 complete calendar months before
-- A's month / 3, by the patient's practice) and ready = active_patients >=
-- ready_active and the exact average >= ready_new, with the thresholds used.
-- Every practice gets its own verdict: nothing is summed over practices. With
-- practice_id set, only that practice. Sorted ready first, then by active
-- patients (most first) and practice id.
-- Grain: one row per practice. Unit: patients, patients per month, flag.
create or replace view metric_readiness_practices as
with params as (
    select * from int_params
),

practices as (
    select distinct practice_id
    from stg_patients
    where getvariable('practice_id') is null or practice_id = getvariable('practice_id')
),

active as (
    -- each patient's last visit on or before A, if it is recent
    select
        v.patient_practice_id as practice_id,
        count(*) as active_patients
    from int_visit_days as v
    cross join params as p
    where
        v.patient_can_be_active
        and v.completed_date <= p.as_of
        and (v.next_completed_date is null or v.next_completed_date > p.as_of)
        and v.completed_date > cast(p.as_of - to_months(p.active_months) as date)
    group by v.patient_practice_id
),

recent_new as (
    select
        pt.practice_id,
        count(*) as new_count
    from int_patients as pt
    cross join params as p
    where
        pt.can_be_new
        and pt.first_visit_date < cast(date_trunc('month', p.as_of) as date)
        and pt.first_visit_date >= cast(date_trunc('month', p.as_of) - to_months(3) as date)
    group by pt.practice_id
),

judged as (
    select
        pr.practice_id,
        p.ready_active,
        p.ready_new,
        coalesce(a.active_patients, 0) as active_patients,
        coalesce(n.new_count, 0) / 3 as new_patients_avg_3m,
        coalesce(a.active_patients, 0) >= p.ready_active
        and coalesce(n.new_count, 0) >= 3 * p.ready_new as ready
    from practices as pr
    cross join params as p
    left join active as a on pr.practice_id = a.practice_id
    left join recent_new as n on pr.practice_id = n.practice_id
)

select
    practice_id,
    active_patients,
    new_patients_avg_3m,
    ready,
    ready_active,
    ready_new
from judged
order by ready desc, active_patients desc, practice_id asc;
