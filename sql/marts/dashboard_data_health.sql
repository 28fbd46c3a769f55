-- Dashboard data health: rows that load fine but make the numbers less useful.
-- Grain: one row per check (always present, row_count 0 when clean).
-- Unit: row_count = rows affected; amount = fees or payments involved (dollars).
-- Parameters: getvariable('practice_id') (NULL = all practices).
-- Each check names the table to fix in the practice-management system.
create or replace view dashboard_data_health as
with plans as (
    select *
    from stg_treatment_plans
    -- the variable folds to a constant, so the filter reaches the scan
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
),

procedures as (
    select *
    from stg_procedures
    -- the variable folds to a constant, so the filter reaches the scan
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
),

payments as (
    select *
    from stg_payments
    -- the variable folds to a constant, so the filter reaches the scan
    where practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
),

plans_without_presenter as (
    select
        1 as sort_order,
        'Treatment plans without a presenter' as check_name,
        'treatment_plans' as table_name,
        count(*) as row_count,
        null::double as amount,
        'Acceptance by presenter shows these as "Unassigned".' as consequence
    from plans
    where presenter_id is null
),

zero_fee_completed as (
    select
        2 as sort_order,
        'Completed procedures with a zero fee' as check_name,
        'procedures' as table_name,
        count(*) as row_count,
        null::double as amount,
        'Production is understated if these should carry a fee.' as consequence
    from procedures
    where status = 'completed' and fee = 0 and code not in ('D9986', 'D9987')
),

completed_without_date as (
    select
        3 as sort_order,
        'Completed procedures without a completed date' as check_name,
        'procedures' as table_name,
        count(*) as row_count,
        sum(fee)::double as amount,
        'They are left out of production and A/R.' as consequence
    from procedures
    where status = 'completed' and completed_date is null
),

procedures_without_provider as (
    select
        4 as sort_order,
        'Diagnosed procedures without a provider' as check_name,
        'procedures' as table_name,
        count(*) as row_count,
        sum(fee)::double as amount,
        'Acceptance by provider cannot place them.' as consequence
    from procedures
    where provider_id is null and status in ('planned', 'completed', 'inactive')
),

payments_without_patient as (
    select
        5 as sort_order,
        'Payments without a known patient' as check_name,
        'payments' as table_name,
        count(*) as row_count,
        sum(pay.amount)::double as amount,
        'They count in collections but not in any patient''s balance.' as consequence
    from payments as pay
    left join stg_patients as pat
        on pay.source_id = pat.source_id and pay.patient_id = pat.patient_id
    where pat.patient_id is null
),

negative_fee_completed as (
    select
        7 as sort_order,
        'Completed procedures with a negative fee' as check_name,
        'procedures' as table_name,
        count(*) as row_count,
        sum(fee)::double as amount,
        'They lower production and show as negative accepted treatment; a refund or '
        || 'write-off belongs in adjustments.' as consequence
    from procedures
    where status = 'completed' and fee < 0
),

planned_without_plan as (
    select
        6 as sort_order,
        'Planned procedures pointing at a missing plan' as check_name,
        'procedures' as table_name,
        count(*) as row_count,
        sum(pr.fee)::double as amount,
        'Case grouping falls back to patient and day for them.' as consequence
    from procedures as pr
    left join stg_treatment_plans as pl
        on pr.source_id = pl.source_id and pr.plan_id = pl.plan_id
    where pr.plan_id is not null and pl.plan_id is null
),

dates_after_load as (
    select
        7 as sort_order,
        'Dates after the day the data was loaded' as check_name,
        coalesce(string_agg(distinct table_name, ', ' order by table_name), 'any table')
            as table_name,
        count(distinct [table_name, source_id, row_key]) as row_count,
        null::double as amount,
        'They never set the default as-of date; correct them in the practice-management '
        || 'system (latest: ' || coalesce(max(event_date)::varchar, 'none') || ').'
            as consequence
    from int_event_dates
    where
        after_load
        -- the variable folds to a constant, so the filter reaches the scan
        and practice_id = coalesce(getvariable('practice_id')::varchar, practice_id)
)

select * from plans_without_presenter
union all
select * from zero_fee_completed
union all
select * from completed_without_date
union all
select * from procedures_without_provider
union all
select * from payments_without_patient
union all
select * from planned_without_plan
union all
select * from dates_after_load
union all
select * from negative_fee_completed
order by sort_order;
