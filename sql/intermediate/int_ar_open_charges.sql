-- What remains open of each charge as of A (spec section 6), over all
-- practices: a patient's pooled credit (payments, refunds negative, and
-- absolute negative adjustments, dated <= A) pays their charges oldest first
-- (int_ledger_entries.charged_before); open_amount = what that leaves of the
-- charge (0 when paid). Carries the patient's practice for filtering after the
-- FIFO (patients belong to one practice). Grain: one row per charge. Unit:
-- dollars.
create or replace view int_ar_open_charges as
with ledger as (
    select l.*
    from int_ledger_entries as l
    cross join int_params as p
    where l.entry_date <= p.as_of
),

credits as (
    select
        patient_key,
        sum(credit) as total_credit
    from ledger
    group by patient_key
)

select
    l.source_id,
    l.patient_id,
    l.patient_key,
    l.patient_practice_id,
    l.entry_date,
    l.charge
    - least(greatest(c.total_credit - l.charged_before, 0), l.charge) as open_amount
from ledger as l
inner join credits as c on l.patient_key = c.patient_key
where l.charge > 0;
