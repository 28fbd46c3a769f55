-- Forget some stored requests (results_store deletes their rows from the view's table).
delete from precomputed_results
where (view_name, params_key) in (
    select (unnest($view_names), unnest($params_keys))
);
