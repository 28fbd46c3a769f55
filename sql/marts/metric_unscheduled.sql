-- Unscheduled treatment as of A (spec section 4): procedures with status
-- planned, diagnosed on or before A, not accepted by A (accepted_date NULL or
-- after A; no window), of patients neither deceased nor archived, counted by
-- the procedure's practice. declined_* = the same for status inactive
-- (set aside or declined), reported beside it, never in it.
-- Grain: one row. Unit: dollars, procedures, patients.
create or replace view metric_unscheduled as
with open_treatment as (
    select o.*
    from int_open_treatment as o
    where getvariable('practice_id') is null or o.practice_id = getvariable('practice_id')
)

select
    coalesce(sum(fee) filter (where kind = 'unscheduled'), 0) as total_amount,
    count(*) filter (where kind = 'unscheduled') as procedure_count,
    count(distinct row(source_id, patient_id)) filter (where kind = 'unscheduled') as patient_count,
    coalesce(sum(fee) filter (where kind = 'declined'), 0) as declined_amount,
    count(*) filter (where kind = 'declined') as declined_procedure_count,
    count(distinct row(source_id, patient_id)) filter (where kind = 'declined')
        as declined_patient_count
from open_treatment;
