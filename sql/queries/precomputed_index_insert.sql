-- Record stored requests (the registered frame precomputed_batch).
insert into precomputed_results
select
    view_name,
    params_key,
    row_count
from precomputed_batch;
