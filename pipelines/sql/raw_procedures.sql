-- Loader statements for raw_procedures (pipelines/load.py runs each section by name).
-- The incoming rows are a registered Arrow view `incoming` holding the standard
-- columns plus source_id; `seen_keys` (column key) holds every key the export had.

-- name: keys
-- Live keys of one source, for reference checks.
select procedure_id as key
from raw_procedures
where source_id = $source_id and removed_batch_id is null;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
insert into raw_procedures (
    source_id,
    procedure_id,
    practice_id,
    patient_id,
    plan_id,
    provider_id,
    code,
    description,
    fee,
    status,
    diagnosed_date,
    scheduled_date,
    appointment_date,
    completed_date,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.procedure_id,
    s.practice_id,
    s.patient_id,
    s.plan_id,
    s.provider_id,
    s.code,
    s.description,
    s.fee,
    s.status,
    s.diagnosed_date,
    s.scheduled_date,
    s.appointment_date,
    s.completed_date,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        hash(
            practice_id,
            patient_id,
            plan_id,
            provider_id,
            code,
            description,
            fee,
            status,
            diagnosed_date,
            scheduled_date,
            appointment_date,
            completed_date
        ) as row_hash
    from incoming
) as s
left join raw_procedures as t
    on t.source_id = s.source_id and t.procedure_id = s.procedure_id
where
    t.procedure_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, procedure_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    plan_id = excluded.plan_id,
    provider_id = excluded.provider_id,
    code = excluded.code,
    description = excluded.description,
    fee = excluded.fee,
    status = excluded.status,
    diagnosed_date = excluded.diagnosed_date,
    scheduled_date = excluded.scheduled_date,
    appointment_date = excluded.appointment_date,
    completed_date = excluded.completed_date,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_procedures as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from seen_keys as k where k.key = t.procedure_id);
