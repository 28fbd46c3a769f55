-- Reconciliation with Open Dental's own reports for one date range: per
-- metric, caseboard's number beside the total Open Dental's Production &
-- Income report, both on the report's own basis (production less capitation
-- write-offs, claimproc Status 7, which the report takes off production;
-- write-offs without them), plus adjustments and write-offs on its default
-- insurance-pay-date basis, patient income without unearned splits,
-- insurance income attached to a check) and New Patients report (first
-- completed procedure, D9986/D9987 left out) would show, computed from the
-- raw Open Dental rows kept at load (od_* tables). Parameters (session
-- variables): reconcile_from, reconcile_to (inclusive dates), practice_id
-- (NULL = all). opendental_alt is the write-off total on the ProcDate basis;
-- opendental_loaded is false when no Open Dental rows were ever loaded;
-- capitation is caseboard's capitation write-off total moved to production.
-- Grain: one row per metric. Unit: dollars (new_patients: patients).
create or replace view reconcile_totals as
with params as (
    select
        cast(getvariable('reconcile_from') as date) as date_from,
        cast(getvariable('reconcile_to') as date) as date_to,
        cast(getvariable('practice_id') as varchar) as practice_id
),

cb_procedures as (
    select sum(pr.fee) as amount
    from stg_procedures as pr
    cross join params as p
    where
        pr.status = 'completed'
        and pr.completed_date between p.date_from and p.date_to
        and (p.practice_id is null or pr.practice_id = p.practice_id)
),

cb_adjustments as (
    select
        sum(a.amount) filter (where a.kind <> 'insurance_writeoff') as adjustments,
        sum(a.amount) filter (where a.kind = 'insurance_writeoff') as writeoffs
    from stg_adjustments as a
    cross join params as p
    where
        a.adjustment_date between p.date_from and p.date_to
        and (p.practice_id is null or a.practice_id = p.practice_id)
),

cb_payments as (
    select
        sum(pa.amount) filter (where pa.payment_source <> 'insurance') as patient_income,
        sum(pa.amount) filter (where pa.payment_source = 'insurance') as insurance_income
    from stg_payments as pa
    cross join params as p
    where
        pa.payment_date between p.date_from and p.date_to
        and (p.practice_id is null or pa.practice_id = p.practice_id)
),

cb_new as (
    select count(*) as patients
    from int_patients as pa
    cross join params as p
    where
        pa.can_be_new
        and pa.first_visit_date between p.date_from and p.date_to
        and (p.practice_id is null or pa.practice_id = p.practice_id)
),

cb_capitation as (
    -- caseboard's capitation write-offs (its wo- rows of claimproc Status 7)
    select sum(a.amount) as amount
    from stg_adjustments as a
    inner join od_claimproc as o
        on a.source_id = o.source_id and a.adjustment_id = 'wo-' || o.claim_proc_num
    cross join params as p
    where
        o.status = 7
        and a.adjustment_date between p.date_from and p.date_to
        and (p.practice_id is null or a.practice_id = p.practice_id)
),

od_capitation as (
    select -sum(o.write_off) as amount
    from od_claimproc as o
    cross join params as p
    where
        o.status = 7
        and coalesce(lower(o.claim_type), '') <> 'preauth'
        and o.date_cp between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

od_production as (
    select sum(o.proc_fee * (coalesce(o.unit_qty, 1) + coalesce(o.base_units, 0))) as amount
    from od_procedurelog as o
    cross join params as p
    where
        o.proc_status = 2
        and o.proc_date between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

od_adjustments as (
    select sum(o.adj_amt) as amount
    from od_adjustment as o
    cross join params as p
    where
        o.adj_date between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

od_claimprocs as (
    select
        -sum(o.write_off) filter (
            where o.status in (1, 4) and o.date_cp between p.date_from and p.date_to
        ) as writeoffs_paydate,
        -sum(o.write_off) filter (
            where o.status in (0, 1, 4) and o.proc_date between p.date_from and p.date_to
        ) as writeoffs_procdate,
        sum(o.ins_pay_amt) filter (
            where
            o.status in (1, 4)
            and o.claim_payment_num is not null
            and o.date_cp between p.date_from and p.date_to
        ) as insurance_income
    from od_claimproc as o
    cross join params as p
    where
        coalesce(lower(o.claim_type), '') <> 'preauth'
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

od_income as (
    select sum(o.split_amt) as amount
    from od_paysplit as o
    cross join params as p
    where
        o.unearned_type is null
        and o.date_pay between p.date_from and p.date_to
        and (p.practice_id is null or o.practice_id = p.practice_id)
),

od_first_visits as (
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

od_new as (
    select count(*) as patients
    from od_first_visits as f
    inner join od_patient as pa
        on f.source_id = pa.source_id and f.pat_num = pa.pat_num
    cross join params as p
    where
        f.first_visit between p.date_from and p.date_to
        and (p.practice_id is null or pa.practice_id = p.practice_id)
)

select
    'gross_production' as metric,
    1 as sort_order,
    coalesce((select amount from cb_procedures), 0)
    + coalesce((select amount from cb_capitation), 0) as caseboard,
    round(
        coalesce((select amount from od_production), 0)
        + coalesce((select amount from od_capitation), 0),
        2
    ) as opendental,
    cast(null as double) as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    coalesce((select amount from cb_capitation), 0) as capitation
union all
select
    'adjustments' as metric,
    2 as sort_order,
    coalesce((select adjustments from cb_adjustments), 0) as caseboard,
    round(coalesce((select amount from od_adjustments), 0), 2) as opendental,
    null as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    null as capitation
union all
select
    'insurance_writeoffs' as metric,
    3 as sort_order,
    coalesce((select writeoffs from cb_adjustments), 0)
    - coalesce((select amount from cb_capitation), 0) as caseboard,
    round(coalesce((select writeoffs_paydate from od_claimprocs), 0), 2) as opendental,
    round(coalesce((select writeoffs_procdate from od_claimprocs), 0), 2) as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    coalesce((select amount from cb_capitation), 0) as capitation
union all
select
    'patient_income' as metric,
    4 as sort_order,
    coalesce((select patient_income from cb_payments), 0) as caseboard,
    round(coalesce((select amount from od_income), 0), 2) as opendental,
    null as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    null as capitation
union all
select
    'insurance_income' as metric,
    5 as sort_order,
    coalesce((select insurance_income from cb_payments), 0) as caseboard,
    round(coalesce((select insurance_income from od_claimprocs), 0), 2) as opendental,
    null as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    null as capitation
union all
select
    'new_patients' as metric,
    6 as sort_order,
    (select patients from cb_new) as caseboard,
    (select patients from od_new) as opendental,
    null as opendental_alt,
    (select count(*) > 0 from od_patient) as opendental_loaded,
    null as capitation
