-- The precomputed results store: one row per (mart view, resolved parameters)
-- holding the view's rows as Arrow IPC bytes, rebuilt on every write
-- (caseboard.precompute). Grain: one row per (view_name, params_key).
create or replace table precomputed_results (
    view_name varchar not null,
    params_key varchar not null,
    result blob not null
);
