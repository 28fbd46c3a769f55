-- Audit: A/R total = the sum of its four buckets, no bucket or credit balance
-- is negative, and total - credit_balances = charges - credits of the ledger
-- for patients whose pooled credit is not negative. Returns the row if not.
with params as (
    select * from int_params
),

per_patient as (
    select
        l.source_id,
        l.patient_id,
        sum(l.charge) as charges,
        sum(l.credit) as credits
    from int_ledger as l
    cross join params as p
    where p.practice_id is null or l.patient_practice_id = p.practice_id
    group by l.source_id, l.patient_id
),

balance as (
    select
        coalesce(sum(charges - credits) filter (where credits >= 0), 0) as net_owed,
        coalesce(sum(charges) filter (where credits < 0), 0) as owed_with_net_refunds
    from per_patient
)

select
    -- AM04 off here: the audit returns the view's whole row.
    a.*,  -- noqa: AM04
    b.net_owed,
    b.owed_with_net_refunds
from metric_ar_aging as a
cross join balance as b
where
    a.total <> a.ar_0_30 + a.ar_31_60 + a.ar_61_90 + a.ar_91_plus
    or least(a.ar_0_30, a.ar_31_60, a.ar_61_90, a.ar_91_plus, a.credit_balances) < 0
    or a.total - a.credit_balances <> b.net_owed + b.owed_with_net_refunds;
