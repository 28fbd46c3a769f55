-- The acceptance cohort: procedures with status planned/completed/inactive
-- diagnosed on or before A (D0*/D1*/D9986/D9987 left out unless all_codes),
-- each with accepted_date, whether it is accepted (accepted_date <= A and
-- <= diagnosed_date + W days), same-day, its case (the plan, or without a plan
-- the patient's diagnosed_date), the case's fee and size band, its presenter
-- (the plan's presenter_id, team name, else 'Unassigned') and its diagnosing
-- provider (case key and labels come materialized with int_procedures).
-- Not filtered by practice (marts and goals filter).
-- Grain: one row per diagnosed procedure.
create or replace view int_diagnosed_procedures as
with params as (
    select * from int_params
),

diagnosed as (
    select
        pr.*,
        coalesce(
            pr.accepted_date <= p.as_of
            and pr.accepted_date <= pr.diagnosed_date + p.window_days, false
        ) as is_accepted
    from int_procedures as pr
    cross join params as p
    where
        pr.status in ('planned', 'completed', 'inactive')
        and pr.diagnosed_date <= p.as_of
        and (p.all_codes or pr.counts_in_acceptance)
),

cased as (
    select
        *,
        sum(fee) over (partition by source_id, case_key) as case_fee,
        min(diagnosed_date) over (partition by source_id, case_key) as case_start
    from diagnosed
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
    c.is_accepted and c.accepted_date = c.diagnosed_date as is_same_day,
    c.case_key,
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
