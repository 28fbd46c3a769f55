-- Audit: the unscheduled aging buckets sum to the unscheduled totals, and the
-- worklist's amounts and patients match them. Returns the mismatches.
with aging as (
    select
        sum(amount) as amount,
        sum(procedure_count) as procedure_count
    from metric_unscheduled_aging
),

worklist as (
    select
        coalesce(sum(amount), 0) as amount,
        coalesce(sum(procedure_count), 0) as procedure_count,
        count(*) filter (where procedure_count > 0) as patient_count,
        coalesce(sum(declined_amount), 0) as declined_amount
    from metric_unscheduled_worklist
),

breakdown as (
    select coalesce(sum(amount), 0) as amount
    from metric_unscheduled_breakdown
)

select
    u.total_amount,
    a.amount as aging_amount,
    w.amount as worklist_amount,
    b.amount as breakdown_amount,
    u.procedure_count,
    a.procedure_count as aging_procedures,
    u.patient_count,
    w.patient_count as worklist_patients
from metric_unscheduled as u
cross join aging as a
cross join worklist as w
cross join breakdown as b
where
    u.total_amount <> a.amount
    or u.total_amount <> w.amount
    or u.total_amount <> b.amount
    or u.procedure_count <> a.procedure_count
    or u.procedure_count <> w.procedure_count
    or u.patient_count <> w.patient_count
    or u.declined_amount <> w.declined_amount;
