-- Loader statements for raw_patients (pipelines/load.py runs each section by name).
-- The incoming rows are the table `stage.patients` of the attached staging database
-- (pipelines/stage.py: the standard columns plus __row); `refused_keys` (column
-- key) holds the keys of this table's refused rows.

-- name: stage_rowids
-- One past the largest rowid of the staged rows (the upsert's slices cover it).
select coalesce(max(rowid) + 1, 0) as rowid_end
from stage.patients;

-- name: has_keys
-- Whether the source has live rows here (references to this table are then checked).
select exists (
    select 1
    from raw_patients
    where source_id = $source_id and removed_batch_id is null
) as present;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
-- The loader runs it over stage slices ($row_from <= rowid < $row_to), each
-- its own commit, so the key index of one slice is merged at a time.
insert into raw_patients (
    source_id,
    patient_id,
    practice_id,
    first_name,
    last_name,
    phone,
    email,
    birth_date,
    status,
    first_visit_date,
    referral_source,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.patient_id,
    s.practice_id,
    s.first_name,
    s.last_name,
    s.phone,
    s.email,
    s.birth_date,
    s.status,
    s.first_visit_date,
    s.referral_source,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        $source_id as source_id,
        hash(
            practice_id,
            first_name,
            last_name,
            phone,
            email,
            birth_date,
            status,
            first_visit_date,
            referral_source
        ) as row_hash
    from stage.patients
    where rowid >= $row_from and rowid < $row_to
) as s
left join raw_patients as t
    on t.source_id = s.source_id and t.patient_id = s.patient_id
where
    t.patient_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, patient_id) do update set
    practice_id = excluded.practice_id,
    first_name = excluded.first_name,
    last_name = excluded.last_name,
    phone = excluded.phone,
    email = excluded.email,
    birth_date = excluded.birth_date,
    status = excluded.status,
    first_visit_date = excluded.first_visit_date,
    referral_source = excluded.referral_source,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_patients as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from stage.patients as k where k.patient_id = t.patient_id)
    and not exists (select 1 from refused_keys as k where k.key = t.patient_id);
