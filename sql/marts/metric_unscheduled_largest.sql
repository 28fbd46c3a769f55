-- The weekly review's largest unscheduled cases as of A: the 10 patients of
-- metric_unscheduled_worklist with the largest unscheduled amounts (amount >
-- 0), ties broken by patient id, then by the call list's own order.
-- Grain: one row per patient, at most 10. Unit: as metric_unscheduled_worklist.
create or replace view metric_unscheduled_largest as
-- AM04 off here: the worklist's own columns.
select *  -- noqa: AM04
from metric_unscheduled_worklist
where amount > 0
order by amount desc, patient_id asc, declined_amount desc, source_id asc
limit 10;
