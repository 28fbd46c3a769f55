-- Append a batch of precomputed results (the registered frame precomputed_batch).
insert into precomputed_results
select
    view_name,
    params_key,
    result
from precomputed_batch
order by view_name, params_key;
