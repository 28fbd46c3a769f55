-- Coordinator work the practice generates (issue 14; docs/metrics-notes.md):
-- over the 12 complete weeks (Monday to Sunday) ending with the last Sunday on
-- or before A (weeks_from .. weeks_to, Mondays):
-- large_cases = cases (section 1: a plan, or a patient's diagnosed_date) of
-- $1,000 or more whose first diagnosis falls in the weeks (the code rule in
-- force), counted by the procedures' practice;
-- new_patients = new patients (section 2) with their first visit in the weeks;
-- followup_visits = visits (patient and diagnosed_date) in the weeks that left
-- diagnosed treatment not booked that day (accepted_date NULL or after the
-- diagnosed date): the patients a coordinator would call.
-- Grain: one row. Unit: counts over the 12 weeks (the page divides by weeks).
create or replace view metric_coordinator_workload as
with params as (
    select cast(date_trunc('week', as_of + 1) - interval 7 day as date) as weeks_to
    from int_params
),

span as (
    select
        cast(weeks_to - interval 77 day as date) as weeks_from,
        weeks_to,
        12 as weeks,
        weeks_to + 6 as span_end
    from params
),

large as (
    select count(distinct d.case_num) as large_cases
    from int_diagnosed_procedures as d
    cross join span as s
    where
        d.case_fee >= 1000
        and d.case_start >= s.weeks_from
        and d.case_start <= s.span_end
        and (getvariable('practice_id') is null or d.practice_id = getvariable('practice_id'))
),

new_patients as (
    select count(*) as new_patients
    from int_patients as pt
    cross join span as s
    where
        pt.can_be_new
        and pt.first_visit_date >= s.weeks_from
        and pt.first_visit_date <= s.span_end
        and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
),

followups as (
    select count(*) as followup_visits
    from (
        select distinct
            c.source_id,
            c.patient_id,
            c.diagnosed_date
        from int_acceptance_cohort as c
        cross join span as s
        where
            c.diagnosed_date >= s.weeks_from
            and c.diagnosed_date <= s.span_end
            and (c.accepted_date is null or c.accepted_date > c.diagnosed_date)
            and (
                getvariable('practice_id') is null
                or c.practice_id = getvariable('practice_id')
            )
    ) as visits
)

select
    s.weeks_from,
    s.weeks_to,
    s.weeks,
    l.large_cases,
    n.new_patients,
    f.followup_visits
from span as s
cross join large as l
cross join new_patients as n
cross join followups as f;
