-- Settings of a staging database (pipelines/stage.py): rows are appended in
-- batches and read back by key, so no insertion order is kept, and memory is
-- capped so a large export spills to disk instead of growing.
set preserve_insertion_order = false;
set memory_limit = '256MB';
