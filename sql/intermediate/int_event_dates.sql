-- Every event date of the loaded data, one row per (table, row, column) that
-- holds one: diagnosed, scheduled, completed; payments; adjustments; claim
-- service/sent/received; plan presented/signed; first visits. Future
-- appointment dates and birth dates are not events (spec: metrics.md, notation).
-- after_load is true for a date after the day of the newest load
-- (int_load_day): a data error that never sets the default as-of and that
-- the data-health checks list.
-- Grain: one row per (table_name, source_id, row_key, column_name). Unit: date.
create or replace view int_event_dates as
with event_dates as (
    select
        'procedures' as table_name,
        source_id,
        procedure_id as row_key,
        practice_id,
        'diagnosed_date' as column_name,
        diagnosed_date as event_date
    from stg_procedures
    union all
    select
        'procedures' as table_name,
        source_id,
        procedure_id as row_key,
        practice_id,
        'scheduled_date' as column_name,
        scheduled_date as event_date
    from stg_procedures
    union all
    select
        'procedures' as table_name,
        source_id,
        procedure_id as row_key,
        practice_id,
        'completed_date' as column_name,
        completed_date as event_date
    from stg_procedures
    union all
    select
        'payments' as table_name,
        source_id,
        payment_id as row_key,
        practice_id,
        'payment_date' as column_name,
        payment_date as event_date
    from stg_payments
    union all
    select
        'adjustments' as table_name,
        source_id,
        adjustment_id as row_key,
        practice_id,
        'adjustment_date' as column_name,
        adjustment_date as event_date
    from stg_adjustments
    union all
    select
        'claims' as table_name,
        source_id,
        claim_id as row_key,
        practice_id,
        'service_date' as column_name,
        service_date as event_date
    from stg_claims
    union all
    select
        'claims' as table_name,
        source_id,
        claim_id as row_key,
        practice_id,
        'sent_date' as column_name,
        sent_date as event_date
    from stg_claims
    union all
    select
        'claims' as table_name,
        source_id,
        claim_id as row_key,
        practice_id,
        'received_date' as column_name,
        received_date as event_date
    from stg_claims
    union all
    select
        'treatment_plans' as table_name,
        source_id,
        plan_id as row_key,
        practice_id,
        'presented_date' as column_name,
        presented_date as event_date
    from stg_treatment_plans
    union all
    select
        'treatment_plans' as table_name,
        source_id,
        plan_id as row_key,
        practice_id,
        'signed_date' as column_name,
        signed_date as event_date
    from stg_treatment_plans
    union all
    select
        'patients' as table_name,
        source_id,
        patient_id as row_key,
        practice_id,
        'first_visit_date' as column_name,
        first_visit_date as event_date
    from stg_patients
)

select
    e.table_name,
    e.source_id,
    e.row_key,
    e.practice_id,
    e.column_name,
    e.event_date,
    e.event_date > d.load_day as after_load
from event_dates as e
cross join int_load_day as d
where e.event_date is not null;
