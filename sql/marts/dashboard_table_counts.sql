-- Dashboard: live rows per standard table, so pages can say which file would fill an
-- empty chart. Grain: one row per standard table. Unit: rows.
-- Parameters: getvariable('practice_id') (NULL = all practices).
create or replace view dashboard_table_counts as
with counts as (
    select
        'patients' as table_name,
        count(*) as row_count
    from stg_patients
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'procedures' as table_name,
        count(*) as row_count
    from stg_procedures
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'team' as table_name,
        count(*) as row_count
    from stg_team
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'treatment_plans' as table_name,
        count(*) as row_count
    from stg_treatment_plans
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'appointments' as table_name,
        count(*) as row_count
    from stg_appointments
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'payments' as table_name,
        count(*) as row_count
    from stg_payments
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'adjustments' as table_name,
        count(*) as row_count
    from stg_adjustments
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
    union all
    select
        'claims' as table_name,
        count(*) as row_count
    from stg_claims
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
)

select * from counts
order by table_name;
