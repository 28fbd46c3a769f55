-- Patients with A/R over 90 days as of A (spec section 6), the patients of the
-- practice with all of their transactions: what remains of each charge after
-- the patient's pooled credit paid the oldest charges first
-- (int_ar_open_charges, the FIFO of metric_ar_aging); a patient is listed
-- when some charge older than 90 days (A - its date > 90) is still open.
-- balance = everything the patient still owes; ar_91_plus = the part older
-- than 90 days; oldest_open_charge = the date of the oldest charge still open;
-- last_payment_date / last_payment_amount = the newest payment day on or
-- before A and that day's payments (NULL when none). Credit balances have no
-- open charge and are never listed. Sorted by ar_91_plus, largest first.
-- Grain: one row per patient. Unit: dollars, dates.
create or replace view metric_ar_over_90 as
with params as (
    select * from int_params
),

owed as (
    select
        o.patient_key,
        any_value(o.source_id) as source_id,
        any_value(o.patient_id) as patient_id,
        sum(o.open_amount) as balance,
        coalesce(sum(o.open_amount) filter (where p.as_of - o.entry_date > 90), 0) as ar_91_plus,
        min(o.entry_date) filter (where o.open_amount > 0) as oldest_open_charge
    from int_ar_open_charges as o
    cross join params as p
    where
        getvariable('practice_id') is null
        or o.patient_practice_id = getvariable('practice_id')
    group by o.patient_key
    having coalesce(sum(o.open_amount) filter (where p.as_of - o.entry_date > 90), 0) > 0
),

payment_days as (
    select
        l.patient_key,
        l.entry_date,
        sum(l.credit) as amount
    from int_ledger_entries as l
    cross join params as p
    semi join owed as o on l.patient_key = o.patient_key
    where l.entry_kind = 'payment' and l.entry_date <= p.as_of
    group by l.patient_key, l.entry_date
),

last_payments as (
    select
        patient_key,
        max(entry_date) as last_payment_date,
        arg_max(amount, entry_date) as last_payment_amount
    from payment_days
    group by patient_key
)

select
    o.source_id,
    o.patient_id,
    pe.practice_id,
    pe.first_name,
    pe.last_name,
    pe.phone,
    o.balance,
    o.ar_91_plus,
    o.oldest_open_charge,
    lp.last_payment_date,
    lp.last_payment_amount
from owed as o
left join last_payments as lp on o.patient_key = lp.patient_key
left join int_patients as pe
    on o.source_id = pe.source_id and o.patient_id = pe.patient_id
order by o.ar_91_plus desc, o.source_id asc, o.patient_id asc;
