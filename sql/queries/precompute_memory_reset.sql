-- Give DuckDB its default memory limit back after the precompute.
reset memory_limit;
