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
