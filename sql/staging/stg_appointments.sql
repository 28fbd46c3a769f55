-- Staging: live appointments. Grain: one row per (source_id, appointment_id).
create or replace view stg_appointments as
with source as (
    select * from raw_appointments
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        appointment_id,
        practice_id,
        patient_id,
        start as start_at,
        cast(start as date) as start_date,
        lower(status) as status,
        booked_at,
        provider_id
    from source
)

select * from renamed;
