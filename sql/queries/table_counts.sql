-- Dashboard: live rows per standard table, so pages can say which file would fill an
-- empty chart. Parameter: $1 practice_id (NULL = all practices).
with scope as (
    select cast($1 as varchar) as practice_id
),

counts as (
    select
        'patients' as table_name,
        count(*) as row_count
    from stg_patients as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'procedures' as table_name,
        count(*) as row_count
    from stg_procedures as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'team' as table_name,
        count(*) as row_count
    from stg_team as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'treatment_plans' as table_name,
        count(*) as row_count
    from stg_treatment_plans as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'appointments' as table_name,
        count(*) as row_count
    from stg_appointments as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'payments' as table_name,
        count(*) as row_count
    from stg_payments as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'adjustments' as table_name,
        count(*) as row_count
    from stg_adjustments as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
    union all
    select
        'claims' as table_name,
        count(*) as row_count
    from stg_claims as t, scope as s
    where coalesce(s.practice_id, t.practice_id) = t.practice_id
)

select * from counts;
