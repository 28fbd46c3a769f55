-- Rewrite the store's index sorted, after a rebuild appended it scope by scope.
create or replace table precomputed_results as
select * from precomputed_results
order by view_name, params_key;
