-- Which of several (view, resolved parameters) requests are stored. The two
-- IN filters' product may hold pairs nobody asked for: the caller keeps the
-- pairs it asked for.
select
    view_name,
    params_key
from precomputed_results
where
    params_key in (select unnest($params_keys))
    and view_name in (select unnest($view_names));
