-- The configured metric defaults as one row, written by caseboard.views.build_views
-- from caseboard.settings (bound parameters) before the views are built. int_params
-- falls back to it for every session variable left unset, so a bare SQL session reads
-- the numbers Python resolves and no SQL file repeats them. Grain: one row.
create or replace table param_defaults as
select
    cast($window_days as integer) as window_days,
    cast($active_months as integer) as active_months,
    cast($ready_active as integer) as ready_active,
    cast($ready_new as integer) as ready_new,
    cast($range_months as integer) as range_months,
    cast($range_weeks as integer) as range_weeks,
    cast($coordinator_cost as double) as coordinator_cost,
    cast($variable_cost as double) as variable_cost;
