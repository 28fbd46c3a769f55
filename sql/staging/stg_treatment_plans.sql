-- Staging: live treatment plans. Grain: one row per (source_id, plan_id).
create or replace view stg_treatment_plans as
with source as (
    select * from raw_treatment_plans
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        plan_id,
        practice_id,
        patient_id,
        presented_date,
        presenter_id,
        lower(status) as status,
        signed_date
    from source
)

select * from renamed;
