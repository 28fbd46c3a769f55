-- Loader bookkeeping statements (pipelines/load.py runs each section by name).

-- name: settings
-- A load needs no row order and should spill to disk rather than grow: at 3M
-- procedure rows the upsert's extra memory fell from 1.36 GB to 0.39 GB.
set preserve_insertion_order = false;
set memory_limit = '1GB';

-- name: attach_stage
-- The staging database of this load (pipelines/stage.py), read and trimmed in SQL.
attach $path as stage;

-- name: detach_stage
detach stage;

-- name: refused_rows
-- The rows a refused_refs section of a raw_<table>.sql just set aside, in file order.
select * from refused_rows
order by __row;

-- name: next_batch
select nextval('batch_id_seq') as batch_id;

-- name: previous_batch
-- The latest batch of a source that wrote data, to tell whether the same files came
-- again (a load that changed nothing is only a history row and wrote no batch).
select batch_id, files
from loads
where source_id = $source_id and not unchanged
order by batch_id desc
limit 1;

-- name: insert_load
insert into loads (
    batch_id, source_id, format, practices, full_export, started_at,
    finished_at, files, counts, unchanged
)
values (
    $batch_id, $source_id, $format, $practices, $full_export, $started_at,
    $finished_at, $files, $counts, $unchanged
);

-- name: insert_rejects
-- The refused rows of a batch, from a registered Arrow view `incoming_rejects`.
insert into rejects (
    batch_id, table_name, file_name, row_number, row_key, column_name,
    value, reason, row_data
)
select
    $batch_id,
    table_name,
    file_name,
    row_number,
    row_key,
    column_name,
    value,
    reason,
    row_data::json
from incoming_rejects;

-- name: list_loads
-- Every batch, newest first, for `caseboard loads`.
select
    batch_id,
    source_id,
    format,
    practices,
    full_export,
    started_at,
    finished_at,
    files,
    counts,
    unchanged
from loads
order by batch_id desc;

-- name: list_rejects
-- Quarantined rows (never their row_data) of one batch, or of every batch.
select
    batch_id,
    table_name,
    file_name,
    row_number,
    row_key,
    column_name,
    reason
from rejects
where $batch_id is null or batch_id = $batch_id
order by batch_id, table_name, row_number, column_name;

-- name: has_source_origins
-- Whether the database has the source_origins table (a database written before it does not).
select count(*) > 0 as present
from information_schema.tables
where table_name = 'source_origins';

-- name: source_origin
-- Where a source's rows came from and the fingerprint of its last load (or no row).
select
    origin,
    fingerprint,
    batch_id
from source_origins
where source_id = $source_id;

-- name: source_of_origin
-- The source already loaded from an origin (a live database), if any.
select source_id
from source_origins
where origin = $origin
order by batch_id desc
limit 1;

-- name: legacy_live_sources
-- Sources loaded from a live Open Dental database before origins were kept.
select l.source_id
from loads as l
where
    l.format = 'opendental'
    and cast(l.files as varchar) like '%"mysql:%'
    and not exists (select 1 from source_origins as o where o.source_id = l.source_id)
group by l.source_id;

-- name: legacy_live_sources_all
-- The same in a database written before the source_origins table existed.
select l.source_id
from loads as l
where l.format = 'opendental' and cast(l.files as varchar) like '%"mysql:%'
group by l.source_id;

-- name: foreign_patients
-- Staged patients whose key is live in this source but whose name or birth date
-- differ: nearly all of them differ when another practice's database is loaded
-- over this source (ids such as PatNum restart at 1 in every database).
select
    count(*) as compared,
    count(*) filter (
        where
        lower(coalesce(s.last_name, '')) <> lower(coalesce(t.last_name, ''))
        or lower(coalesce(s.first_name, '')) <> lower(coalesce(t.first_name, ''))
        or s.birth_date is distinct from t.birth_date
    ) as differing
from stage.patients as s
inner join raw_patients as t
    on t.source_id = $source_id and s.patient_id = t.patient_id
where t.removed_batch_id is null;

-- name: save_origin
insert or replace into source_origins (source_id, origin, fingerprint, checksums, batch_id)
values ($source_id, $origin, $fingerprint, $checksums, $batch_id);

-- name: origin_checksums
-- The per-table checksums kept at the last load from an origin (a live database).
select
    source_id,
    checksums
from source_origins
where origin = $origin
order by batch_id desc
limit 1;

-- name: delete_practice_names
delete from practice_names where source_id = $source_id;

-- name: save_practice_names
-- A source's practice names from a registered relation incoming_names (practice_id, name).
insert into practice_names (source_id, practice_id, name)
select
    $source_id,
    practice_id,
    name
from incoming_names;

-- name: save_notes
-- The notes of a batch's load report, from a registered relation incoming_notes (note).
insert into load_notes (batch_id, note)
select
    $batch_id,
    note
from incoming_notes;
