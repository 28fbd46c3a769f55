-- Accounts receivable aging as of A (spec section 6), for the patients of the
-- practice (all of their transactions). Per patient, charges (completed
-- procedure fees, positive adjustments) are paid oldest first (FIFO by date,
-- then kind and id) by the pooled credit (payments with refunds negative, plus
-- absolute negative adjustments), whatever the credits' own dates. What remains
-- of each charge is aged by A - its date: 0-30, 31-60, 61-90, 91+. Credits
-- beyond a patient's charges are credit_balances (positive), never netted.
-- total = sum of the four buckets. FIFO order comes materialized
-- (int_ledger_entries.charged_before); patients are matched by patient_key.
-- Grain: one row. Unit: dollars.
create or replace view metric_ar_aging as
with params as (
    select * from int_params
),

ledger as materialized (
    select l.*
    from int_ledger_entries as l
    cross join params as p
    where
        l.entry_date <= p.as_of
        and (
            getvariable('practice_id') is null
            or l.patient_practice_id = getvariable('practice_id')
        )
),

patients as (
    select
        patient_key,
        sum(charge) as total_charge,
        sum(credit) as total_credit
    from ledger
    group by patient_key
),

charges as (
    select
        l.patient_key,
        l.entry_date,
        l.charge,
        l.charged_before
    from ledger as l
    where l.charge > 0
),

remaining as (
    select
        c.entry_date,
        c.charge - least(greatest(pt.total_credit - c.charged_before, 0), c.charge) as open_amount
    from charges as c
    inner join patients as pt on c.patient_key = pt.patient_key
),

aged as (
    select
        coalesce(sum(r.open_amount) filter (where p.as_of - r.entry_date <= 30), 0) as ar_0_30,
        coalesce(sum(r.open_amount) filter (
            where p.as_of - r.entry_date between 31 and 60
        ), 0) as ar_31_60,
        coalesce(sum(r.open_amount) filter (
            where p.as_of - r.entry_date between 61 and 90
        ), 0) as ar_61_90,
        coalesce(sum(r.open_amount) filter (where p.as_of - r.entry_date > 90), 0) as ar_91_plus
    from remaining as r
    cross join params as p
)

select
    a.ar_0_30,
    a.ar_31_60,
    a.ar_61_90,
    a.ar_91_plus,
    a.ar_0_30 + a.ar_31_60 + a.ar_61_90 + a.ar_91_plus as total,
    coalesce((
        select sum(pt.total_credit - pt.total_charge)
        from patients as pt
        where pt.total_credit > pt.total_charge
    ), 0) as credit_balances
from aged as a;
