-- Loader statements for raw_team (pipelines/load.py runs each section by name).
-- The incoming rows are the table `stage.team` of the attached staging database
-- (pipelines/stage.py: the standard columns plus __row); `refused_keys` (column
-- key) holds the keys of this table's refused rows.

-- name: stage_rowids
-- One past the largest rowid of the staged rows (the upsert's slices cover it).
select coalesce(max(rowid) + 1, 0) as rowid_end
from stage.team;

-- name: has_keys
-- Whether the source has live rows here (references to this table are then checked).
select exists (
    select 1
    from raw_team
    where source_id = $source_id and removed_batch_id is null
) as present;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
-- The loader runs it over stage slices ($row_from <= rowid < $row_to), each
-- its own commit, so the key index of one slice is merged at a time.
insert into raw_team (
    source_id,
    member_id,
    practice_id,
    name,
    role,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.member_id,
    s.practice_id,
    s.name,
    s.role,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        $source_id as source_id,
        hash(
            practice_id,
            name,
            role
        ) as row_hash
    from stage.team
    where rowid >= $row_from and rowid < $row_to
) as s
left join raw_team as t
    on t.source_id = s.source_id and t.member_id = s.member_id
where
    t.member_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, member_id) do update set
    practice_id = excluded.practice_id,
    name = excluded.name,
    role = excluded.role,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_team as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from stage.team as k where k.member_id = t.member_id)
    and not exists (select 1 from refused_keys as k where k.key = t.member_id);
