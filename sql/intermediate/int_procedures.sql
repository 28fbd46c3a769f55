-- Every live procedure with its derived facts: accepted_date (earlier of
-- scheduled and completed, NULLs ignored), CDT category label, whether the
-- code counts in acceptance by default (not D0*, D1*, D9986, D9987) and
-- whether it is a visit (not D9986/D9987, the missed/cancelled codes); its
-- case key (the plan, or without a plan the patient's diagnosed_date), the
-- plan's presenter (team name, else the id, else 'Unassigned'), the
-- diagnosing provider's label (team name, else the id, else 'Unassigned') and
-- whether its patient is open for treatment (not deceased or archived; a
-- patient missing from the patients table counts as active); and whether its
-- case lies in one practice (so one practice's case totals need no other
-- practice's rows) and case_num, a number per (source_id, case_key) that
-- case totals partition by instead of two strings.
-- Grain: one row per (source_id, procedure_id).
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views) and read by the views above it; sorted by
-- practice and diagnosed date so one practice's rows are read together.
create or replace table int_procedures as
with procedures as (
    select
        pr.source_id,
        pr.procedure_id,
        pr.practice_id,
        pr.patient_id,
        pr.plan_id,
        pr.provider_id,
        pr.code,
        pr.description,
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
        pr.code not in ('D9986', 'D9987') as is_visit_code,
        case
            when pr.plan_id is not null then 'plan:' || pr.plan_id
            else 'visit:' || pr.patient_id || ':' || strftime(pr.diagnosed_date, '%Y-%m-%d')
        end as case_key,
        tp.presenter_id,
        case
            when tp.presenter_id is null then 'Unassigned'
            else coalesce(presenter.name, tp.presenter_id)
        end as presenter_label,
        case
            when pr.provider_id is null then 'Unassigned'
            else coalesce(provider.name, pr.provider_id)
        end as provider_label,
        coalesce(pa.status, 'active') not in ('deceased', 'archived') as patient_is_open
    from stg_procedures as pr
    left join stg_treatment_plans as tp
        on pr.source_id = tp.source_id and pr.plan_id = tp.plan_id
    left join stg_team as presenter
        on tp.source_id = presenter.source_id and tp.presenter_id = presenter.member_id
    left join stg_team as provider
        on pr.source_id = provider.source_id and pr.provider_id = provider.member_id
    left join stg_patients as pa
        on pr.source_id = pa.source_id and pr.patient_id = pa.patient_id
),

case_practices as (
    select
        source_id,
        case_key,
        count(distinct practice_id) = 1 as case_in_one_practice,
        row_number() over (order by source_id, case_key) as case_num
    from procedures
    group by source_id, case_key
)

select
    pr.*,
    cp.case_in_one_practice,
    cp.case_num
from procedures as pr
left join case_practices as cp
    on pr.source_id = cp.source_id and pr.case_key = cp.case_key
order by pr.practice_id, pr.diagnosed_date;
