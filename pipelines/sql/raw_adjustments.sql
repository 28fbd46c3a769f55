-- Loader statements for raw_adjustments (pipelines/load.py runs each section by name).
-- The incoming rows are a registered Arrow view `incoming` holding the standard
-- columns plus source_id; `seen_keys` (column key) holds every key the export had.

-- name: keys
-- Live keys of one source, for reference checks.
select adjustment_id as key
from raw_adjustments
where source_id = $source_id and removed_batch_id is null;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
insert into raw_adjustments (
    source_id,
    adjustment_id,
    practice_id,
    patient_id,
    date,
    amount,
    kind,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.adjustment_id,
    s.practice_id,
    s.patient_id,
    s.date,
    s.amount,
    s.kind,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        hash(
            practice_id,
            patient_id,
            date,
            amount,
            kind
        ) as row_hash
    from incoming
) as s
left join raw_adjustments as t
    on t.source_id = s.source_id and t.adjustment_id = s.adjustment_id
where
    t.adjustment_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, adjustment_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    date = excluded.date,
    amount = excluded.amount,
    kind = excluded.kind,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_adjustments as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from seen_keys as k where k.key = t.adjustment_id);
