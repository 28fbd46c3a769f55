-- Every live procedure with its derived facts: accepted_date (earlier of
-- scheduled and completed, NULLs ignored), CDT category label, whether the
-- code counts in acceptance by default (not D0*, D1*, D9986, D9987) and
-- whether it is a visit (not D9986/D9987, the missed/cancelled codes).
-- Grain: one row per (source_id, procedure_id).
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views) and read by the views above it.
create or replace table int_procedures as
select
    pr.source_id,
    pr.procedure_id,
    pr.practice_id,
    pr.patient_id,
    pr.plan_id,
    pr.provider_id,
    pr.code,
    pr.fee,
    pr.status,
    pr.diagnosed_date,
    pr.scheduled_date,
    pr.completed_date,
    least(pr.scheduled_date, pr.completed_date) as accepted_date,
    case
        when pr.code like 'D0%' then 'Diagnostic'
        when pr.code like 'D1%' then 'Preventive'
        when pr.code like 'D2%' then 'Restorative'
        when pr.code like 'D3%' then 'Endodontics'
        when pr.code like 'D4%' then 'Periodontics'
        when pr.code like 'D5%' then 'Removable prosthodontics'
        when pr.code like 'D6%' then 'Implants & fixed prosthodontics'
        when pr.code like 'D7%' then 'Oral surgery'
        when pr.code like 'D8%' then 'Orthodontics'
        when pr.code like 'D9%' then 'Adjunctive'
        else 'Other'
    end as category,
    not(
        pr.code like 'D0%'
        or pr.code like 'D1%'
        or pr.code in ('D9986', 'D9987')
    ) as counts_in_acceptance,
    pr.code not in ('D9986', 'D9987') as is_visit_code
from stg_procedures as pr;
