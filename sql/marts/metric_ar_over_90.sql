-- Patients with A/R over 90 days as of A (spec section 6), the patients of the
-- practice with all of their transactions: the same FIFO as metric_ar_aging
-- (the pooled credit pays the oldest charges first); a patient is listed when
-- some charge older than 90 days (A - its date > 90) is still open. balance =
-- everything the patient still owes; ar_91_plus = the part older than 90
-- days; oldest_open_charge = the date of the oldest charge still open;
-- last_payment_date / last_payment_amount = the newest payment on or before A
-- (NULL when none). Credit balances have no open charge and are never listed.
-- Sorted by ar_91_plus, largest first. Grain: one row per patient. Unit:
-- dollars, dates.
create or replace view metric_ar_over_90 as
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
        any_value(source_id) as source_id,
        any_value(patient_id) as patient_id,
        sum(credit) as total_credit,
        max(entry_date) filter (where entry_kind = 'payment') as last_payment_date
    from ledger
    group by patient_key
),

remaining as (
    select
        l.patient_key,
        l.entry_date,
        l.charge - least(greatest(pt.total_credit - l.charged_before, 0), l.charge) as open_amount
    from ledger as l
    inner join patients as pt on l.patient_key = pt.patient_key
    where l.charge > 0
),

owed as (
    select
        r.patient_key,
        sum(r.open_amount) as balance,
        coalesce(sum(r.open_amount) filter (where p.as_of - r.entry_date > 90), 0) as ar_91_plus,
        min(r.entry_date) filter (where r.open_amount > 0) as oldest_open_charge
    from remaining as r
    cross join params as p
    group by r.patient_key
),

last_payments as (
    select
        l.patient_key,
        sum(l.credit) as last_payment_amount
    from ledger as l
    inner join patients as pt
        on l.patient_key = pt.patient_key and l.entry_date = pt.last_payment_date
    where l.entry_kind = 'payment'
    group by l.patient_key
)

select
    pt.source_id,
    pt.patient_id,
    pe.practice_id,
    pe.first_name,
    pe.last_name,
    pe.phone,
    o.balance,
    o.ar_91_plus,
    o.oldest_open_charge,
    pt.last_payment_date,
    lp.last_payment_amount
from owed as o
inner join patients as pt on o.patient_key = pt.patient_key
left join last_payments as lp on o.patient_key = lp.patient_key
left join int_patients as pe
    on pt.source_id = pe.source_id and pt.patient_id = pe.patient_id
where o.ar_91_plus > 0
order by o.ar_91_plus desc, pt.source_id, pt.patient_id;
