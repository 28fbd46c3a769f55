-- Each patient's ledger as of A: charges (completed procedure fees, positive
-- adjustments) and credits (payments with refunds negative, absolute values of
-- negative adjustments), all dated on or before A, with the patient's practice.
-- Grain: one row per ledger entry. Unit: dollars.
create or replace view int_ledger as
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
)

select
    e.source_id,
    e.patient_id,
    pa.practice_id as patient_practice_id,
    e.entry_date,
    e.entry_kind,
    e.entry_id,
    e.charge,
    e.credit
from entries as e
cross join int_params as p
left join stg_patients as pa
    on e.source_id = pa.source_id and e.patient_id = pa.patient_id
where e.entry_date <= p.as_of;
