-- Staging: live team members. Grain: one row per (source_id, member_id).
create or replace view stg_team as
with source as (
    select * from raw_team
    where removed_batch_id is null
),

renamed as (
    select
        source_id,
        member_id,
        practice_id,
        name,
        lower(role) as role
    from source
)

select * from renamed;
