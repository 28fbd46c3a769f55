-- The stored rows of several (view, resolved parameters) requests in one read;
-- requests that were not precomputed return no row.
with wanted as (
    select distinct
        unnest($view_names) as view_name,
        unnest($params_keys) as params_key
)

select
    stored.view_name,
    stored.params_key,
    stored.result
from precomputed_results as stored
inner join wanted
    on stored.view_name = wanted.view_name and stored.params_key = wanted.params_key;
