-- One view's stored rows for one resolved parameter set (none when not precomputed).
select result
from precomputed_results
where view_name = $view_name and params_key = $params_key;
