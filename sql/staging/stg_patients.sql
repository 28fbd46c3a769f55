-- Staging: live patients (rows a later --full export removed are dropped).
-- Grain: one row per (source_id, patient_id). status defaults to 'active'.
create or replace view stg_patients as
with source as (
    select * from raw_patients
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        patient_id,
        practice_id,
        first_name,
        last_name,
        phone,
        email,
        birth_date,
        coalesce(lower(status), 'active') as status,
        first_visit_date,
        referral_source
    from source
)

select * from renamed;
