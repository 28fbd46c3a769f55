-- Dashboard: live rows per standard table, so pages can say which file would fill an
-- empty chart. Parameter: practice_id (NULL = all practices).
select 'patients' as table_name, count(*) as row_count
from stg_patients where coalesce(?::varchar, practice_id) = practice_id
union all
select 'procedures', count(*)
from stg_procedures where coalesce(?::varchar, practice_id) = practice_id
union all
select 'team', count(*)
from stg_team where coalesce(?::varchar, practice_id) = practice_id
union all
select 'treatment_plans', count(*)
from stg_treatment_plans where coalesce(?::varchar, practice_id) = practice_id
union all
select 'appointments', count(*)
from stg_appointments where coalesce(?::varchar, practice_id) = practice_id
union all
select 'payments', count(*)
from stg_payments where coalesce(?::varchar, practice_id) = practice_id
union all
select 'adjustments', count(*)
from stg_adjustments where coalesce(?::varchar, practice_id) = practice_id
union all
select 'claims', count(*)
from stg_claims where coalesce(?::varchar, practice_id) = practice_id;
