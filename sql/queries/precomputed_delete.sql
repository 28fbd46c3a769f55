-- Forget some stored requests (their rows are deleted from the view's table too).
delete from precomputed_results
where (view_name, params_key) in (
    select (unnest($view_names), unnest($params_keys))
);
