-- The differences between caseboard and Open Dental's own reports that are
-- known by cause (reconcile_totals has the totals), for the same range and
-- practice. amount is caseboard minus Open Dental for that cause:
--   zero_units: completed procedures with UnitQty + BaseUnits = 0 (caseboard
--     counts one unit, as Open Dental's fee total does; the report's SQL 0);
--   deleted_patients: rows of deleted patients (PatStatus 4), not loaded;
--   unearned: prepayment splits (UnearnedType set), loaded as income but left
--     out of Open Dental's report by default;
--   income_transfers: splits of PayType 0 payments, not loaded;
--   not_on_check: received insurance not attached to an insurance check,
--     loaded (by DateCP) but not in Open Dental's income report;
--   not_patients: first visits of prospective or non-patients (PatStatus 6,
--     1), not new patients in caseboard.
-- Grain: one row per (metric, part). Unit: dollars (new_patients: patients).
create or replace view reconcile_parts as
with params as (
    select
        cast(getvariable('reconcile_from') as date) as date_from,
        cast(getvariable('reconcile_to') as date) as date_to,
        cast(getvariable('practice_id') as varchar) as practice_id
),

patients as (
    select
        source_id,
        pat_num,
        pat_status,
        practice_id
    from od_patient
),

procs as (
    select
        o.*,
        coalesce(pa.pat_status, 0) as pat_status,
        o.proc_fee * (coalesce(o.unit_qty, 1) + coalesce(o.base_units, 0)) as od_fee
    from od_procedurelog as o
    left join patients as pa
        on o.source_id = pa.source_id and o.pat_num = pa.pat_num
    cross join params as p
    where
        o.proc_status = 2
        and o.proc_date between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

adjustments as (
    select
        o.*,
        coalesce(pa.pat_status, 0) as pat_status
    from od_adjustment as o
    left join patients as pa
        on o.source_id = pa.source_id and o.pat_num = pa.pat_num
    cross join params as p
    where
        o.adj_date between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

claimprocs as (
    select
        o.*,
        coalesce(pa.pat_status, 0) as pat_status
    from od_claimproc as o
    left join patients as pa
        on o.source_id = pa.source_id and o.pat_num = pa.pat_num
    cross join params as p
    where
        coalesce(lower(o.claim_type), '') <> 'preauth'
        and o.date_cp between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

splits as (
    select
        o.*,
        coalesce(pa.pat_status, 0) as pat_status
    from od_paysplit as o
    left join patients as pa
        on o.source_id = pa.source_id and o.pat_num = pa.pat_num
    cross join params as p
    where
        o.date_pay between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

first_visits as (
    select
        o.source_id,
        o.pat_num,
        min(o.proc_date) as first_visit
    from od_procedurelog as o
    where
        o.proc_status = 2
        and o.proc_date is not null
        and coalesce(o.proc_code, '') not in ('D9986', 'D9987')
    group by o.source_id, o.pat_num
),

new_patients as (
    select pa.pat_status
    from first_visits as f
    inner join patients as pa
        on f.source_id = pa.source_id and f.pat_num = pa.pat_num
    cross join params as p
    where
        f.first_visit between p.date_from and p.date_to
        and (p.practice_id is null or pa.practice_id = p.practice_id)
),

parts as (
    select
        'gross_production' as metric,
        'zero_units' as part,
        sum(proc_fee) as amount
    from procs
    where coalesce(unit_qty, 1) + coalesce(base_units, 0) = 0 and pat_status <> 4
    union all
    select
        'gross_production' as metric,
        'deleted_patients' as part,
        sum(amount) as amount
    from (
        select -od_fee as amount from procs
        where pat_status = 4
        union all
        -- the report takes their capitation write-offs off production too
        select write_off from claimprocs
        where status = 7 and pat_status = 4
    ) as deleted_parts
    union all
    select
        'adjustments' as metric,
        'deleted_patients' as part,
        -sum(adj_amt) as amount
    from adjustments
    where pat_status = 4
    union all
    select
        'insurance_writeoffs' as metric,
        'deleted_patients' as part,
        sum(write_off) as amount
    from claimprocs
    where status in (1, 4) and pat_status = 4
    union all
    select
        'patient_income' as metric,
        'unearned' as part,
        sum(split_amt) as amount
    from splits
    where unearned_type is not null and pat_status <> 4 and pay_type is not null
    union all
    select
        'patient_income' as metric,
        'income_transfers' as part,
        -sum(split_amt) as amount
    from splits
    where pay_type is null and unearned_type is null
    union all
    select
        'patient_income' as metric,
        'deleted_patients' as part,
        -sum(split_amt) as amount
    from splits
    where pat_status = 4 and unearned_type is null and pay_type is not null
    union all
    select
        'insurance_income' as metric,
        'not_on_check' as part,
        sum(ins_pay_amt) as amount
    from claimprocs
    where status in (1, 4) and claim_payment_num is null and pat_status <> 4
    union all
    select
        'insurance_income' as metric,
        'deleted_patients' as part,
        -sum(ins_pay_amt) as amount
    from claimprocs
    where status in (1, 4) and claim_payment_num is not null and pat_status = 4
    union all
    select
        'new_patients' as metric,
        'deleted_patients' as part,
        -count(*) as amount
    from new_patients
    where pat_status = 4
    union all
    select
        'new_patients' as metric,
        'not_patients' as part,
        -count(*) as amount
    from new_patients
    where pat_status in (1, 6)
)

select
    metric,
    part,
    round(amount, 2) as amount
from parts
where amount is not null and amount <> 0
