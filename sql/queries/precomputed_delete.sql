-- Remove the stored rows of some (view, resolved parameters) requests.
delete from precomputed_results
where (view_name, params_key) in (
    select (unnest($view_names), unnest($params_keys))
);
