-- DuckDB's memory for the precompute: its views over every practice would
-- otherwise keep growing the buffer pool (default 80% of RAM) and push a
-- load's peak memory past the loader's own; beyond this it spills to disk.
set memory_limit = '600MB';
