-- Every stored request: (view, resolved parameters as JSON).
select
    view_name,
    params_key
from precomputed_results
order by view_name, params_key;
