-- The precomputed results store (caseboard.results_store), emptied for a
-- rebuild: the index of what is stored, one row per (mart view, resolved
-- parameters), and a schema holding one table per view with the view's own
-- columns plus params_key and row_no. Rebuilt by every write.
drop schema if exists precomputed cascade;
create schema precomputed;
create or replace table precomputed_results (
    view_name varchar not null,
    params_key varchar not null,
    row_count bigint not null
);
