-- Staging: live insurance claims. Grain: one row per (source_id, claim_id).
create or replace view stg_claims as
with source as (
    select * from raw_claims
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        claim_id,
        practice_id,
        patient_id,
        service_date,
        sent_date,
        lower(status) as status,
        billed_amount,
        estimate_amount,
        paid_amount,
        received_date,
        carrier
    from source
)

select * from renamed;
