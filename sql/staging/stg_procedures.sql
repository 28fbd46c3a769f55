-- Staging: live procedures. Grain: one row per (source_id, procedure_id).
-- Codes are upper-cased and trimmed so 'd2740 ' and 'D2740' are one code.
create or replace view stg_procedures as
with source as (
    select * from raw_procedures
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        procedure_id,
        practice_id,
        patient_id,
        plan_id,
        provider_id,
        upper(trim(code)) as code,
        description,
        fee,
        lower(status) as status,
        diagnosed_date,
        scheduled_date,
        appointment_date,
        completed_date
    from source
)

select * from renamed;
