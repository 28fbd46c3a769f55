-- Forget some stored requests (results_store deletes their rows from the view's table).
delete from precomputed_results
where (view_name, params_key) in (
    -- (a, b) is DuckDB's row value, which sqlfluff reads as a call of `select`
    select (unnest($view_names), unnest($params_keys))  -- noqa: LT01, LT06
);
