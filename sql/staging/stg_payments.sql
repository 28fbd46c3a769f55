-- Staging: live payments (refunds negative). Grain: one row per (source_id, payment_id).
create or replace view stg_payments as
with source as (
    select * from raw_payments
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        payment_id,
        practice_id,
        patient_id,
        date as payment_date,
        amount,
        lower(source) as payment_source,
        method
    from source
)

select * from renamed;
