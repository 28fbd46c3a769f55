-- Staging: live adjustments (negative lowers what is owed). Grain: one row per
-- (source_id, adjustment_id).
create or replace view stg_adjustments as
with source as (
    select * from raw_adjustments
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        adjustment_id,
        practice_id,
        patient_id,
        date as adjustment_date,
        amount,
        lower(kind) as kind
    from source
)

select * from renamed;
