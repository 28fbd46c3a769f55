-- Each patient's ledger as of A: charges (completed procedure fees, positive
-- adjustments) and credits (payments with refunds negative, absolute values of
-- negative adjustments), all dated on or before A, with the patient's practice
-- (the materialized int_ledger_entries cut at A).
-- Grain: one row per ledger entry. Unit: dollars.
create or replace view int_ledger as
select
    e.source_id,
    e.patient_id,
    e.patient_practice_id,
    e.entry_date,
    e.entry_kind,
    e.entry_id,
    e.charge,
    e.credit
from int_ledger_entries as e
cross join int_params as p
where e.entry_date <= p.as_of;
