-- Loader statements for raw_treatment_plans (pipelines/load.py runs each section by name).
-- The incoming rows are a registered Arrow view `incoming` holding the standard
-- columns plus source_id; `seen_keys` (column key) holds every key the export had.

-- name: keys
-- Live keys of one source, for reference checks.
select plan_id as key
from raw_treatment_plans
where source_id = $source_id and removed_batch_id is null;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
insert into raw_treatment_plans (
    source_id,
    plan_id,
    practice_id,
    patient_id,
    presented_date,
    presenter_id,
    status,
    signed_date,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.plan_id,
    s.practice_id,
    s.patient_id,
    s.presented_date,
    s.presenter_id,
    s.status,
    s.signed_date,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        hash(
            practice_id,
            patient_id,
            presented_date,
            presenter_id,
            status,
            signed_date
        ) as row_hash
    from incoming
) as s
left join raw_treatment_plans as t
    on t.source_id = s.source_id and t.plan_id = s.plan_id
where
    t.plan_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, plan_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    presented_date = excluded.presented_date,
    presenter_id = excluded.presenter_id,
    status = excluded.status,
    signed_date = excluded.signed_date,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_treatment_plans as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from seen_keys as k where k.key = t.plan_id);
