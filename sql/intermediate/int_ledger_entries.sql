-- Every patient ledger entry, whatever A: charges (completed procedure fees,
-- positive adjustments) and credits (payments with refunds negative, absolute
-- values of negative adjustments), with the patient's practice, a patient_key
-- numbering (source_id, patient_id) and, for each
-- charge, charged_before = the patient's charges before it in FIFO order
-- (date, then kind, then id). That order puts every entry dated on or before
-- a charge's date ahead of it, so cutting the ledger at A never changes a
-- kept charge's charged_before. int_ledger keeps the entries on or before A.
-- Grain: one row per ledger entry. Unit: dollars.
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views); sorted by the patient's practice.
create or replace table int_ledger_entries as
with entries as (
    select
        source_id,
        patient_id,
        completed_date as entry_date,
        'procedure' as entry_kind,
        procedure_id as entry_id,
        fee as charge,
        cast(0 as decimal(18, 4)) as credit
    from stg_procedures
    where status = 'completed' and completed_date is not null
    union all
    select
        source_id,
        patient_id,
        adjustment_date as entry_date,
        'adjustment' as entry_kind,
        adjustment_id as entry_id,
        case when amount > 0 then amount else 0 end as charge,
        case when amount < 0 then -amount else 0 end as credit
    from stg_adjustments
    union all
    select
        source_id,
        patient_id,
        payment_date as entry_date,
        'payment' as entry_kind,
        payment_id as entry_id,
        cast(0 as decimal(18, 4)) as charge,
        amount as credit
    from stg_payments
),

dated as (
    select * from entries
    where entry_date is not null
),

patient_keys as (
    -- A number per (source_id, patient_id), so the FIFO window and the A/R view
    -- partition, group and join on one integer instead of two strings.
    select
        d.source_id,
        d.patient_id,
        pa.practice_id as patient_practice_id,
        row_number() over (order by d.source_id, d.patient_id) as patient_key
    from (
        select distinct
            source_id,
            patient_id
        from dated
    ) as d
    left join stg_patients as pa
        on d.source_id = pa.source_id and d.patient_id = pa.patient_id
)

select
    e.source_id,
    e.patient_id,
    k.patient_key,
    k.patient_practice_id,
    e.entry_date,
    e.entry_kind,
    e.entry_id,
    e.charge,
    e.credit,
    sum(e.charge) over (
        partition by k.patient_key
        order by e.entry_date, e.entry_kind, e.entry_id
        rows between unbounded preceding and current row
    ) - e.charge as charged_before
from dated as e
inner join patient_keys as k
    on e.source_id = k.source_id and e.patient_id = k.patient_id
order by k.patient_practice_id;
