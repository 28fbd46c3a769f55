-- The acceptance cohort (int_acceptance_cohort) with case totals: each
-- procedure's case (the plan, or without a plan the patient's
-- diagnosed_date) fee over the case's cohort procedures, its earliest
-- diagnosed date, and the case's size band.
-- Scoped to the session's practice_id (NULL = every practice): its rows, plus
-- the rows of other practices that share a case with it (only those can
-- change its case totals), so a mart must still filter by practice. Goals,
-- which pick their own practice, read int_acceptance_cohort instead.
-- Grain: one row per diagnosed procedure.
create or replace view int_diagnosed_procedures as
with scoped as (
    select *
    from int_acceptance_cohort
    where getvariable('practice_id') is null or practice_id = getvariable('practice_id')
    union all
    select *
    from int_acceptance_cohort
    where
        getvariable('practice_id') is not null
        and practice_id <> getvariable('practice_id')
        and not case_in_one_practice
),

cased as (
    select
        *,
        sum(fee) over (partition by case_num) as case_fee,
        min(diagnosed_date) over (partition by case_num) as case_start
    from scoped
)

select
    c.source_id,
    c.procedure_id,
    c.practice_id,
    c.patient_id,
    c.plan_id,
    c.code,
    c.category,
    c.fee,
    c.status,
    c.diagnosed_date,
    c.accepted_date,
    c.is_accepted,
    c.is_same_day,
    c.case_key,
    c.case_num,
    c.case_fee,
    c.case_start,
    case
        when c.case_fee < 500 then '< $500'
        when c.case_fee < 2000 then '$500-1,999'
        when c.case_fee < 5000 then '$2,000-4,999'
        else '>= $5,000'
    end as case_size,
    case
        when c.case_fee < 500 then 1
        when c.case_fee < 2000 then 2
        when c.case_fee < 5000 then 3
        else 4
    end as case_size_order,
    c.presenter_id,
    c.presenter_label,
    c.provider_id,
    c.provider_label
from cased as c;
