-- Rewrite the store's index sorted, after a rebuild appended it scope by scope.
create or replace table precomputed_results as
-- AM04 off here: the same table, sorted.
select * from precomputed_results  -- noqa: AM04
order by view_name, params_key;
