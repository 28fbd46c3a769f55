-- Metric parameters as one row: the session variables set by
-- caseboard.metrics.apply_params, with the defaults where unset. The defaults
-- are not repeated here: they come from the one-row table param_defaults,
-- which caseboard.views.build_views writes from caseboard/settings.py, so a
-- bare SQL session reads the numbers resolve_params fills in. Months default
-- to the range_months (12) ending with A's month (--from alone runs to A's
-- month; --to alone covers the range_months ending there); weeks to the
-- range_weeks (13) ending with A's week. age_days: the equal-age cap of compared periods
-- (section 1; NULL = no cap). Grain: one row.
create or replace view int_params as
with variables as (
    select
        p.range_months,
        p.range_weeks,
        coalesce(cast(getvariable('as_of') as date), d.as_of) as as_of,
        coalesce(cast(getvariable('window_days') as integer), p.window_days)
            as window_days,
        coalesce(cast(getvariable('all_codes') as boolean), false) as all_codes,
        cast(getvariable('practice_id') as varchar) as practice_id,
        coalesce(cast(getvariable('active_months') as integer), p.active_months)
            as active_months,
        cast(getvariable('month_from') as date) as month_from_set,
        cast(getvariable('month_to') as date) as month_to_set,
        cast(getvariable('week_from') as date) as week_from_set,
        cast(getvariable('week_to') as date) as week_to_set,
        coalesce(cast(getvariable('ready_active') as integer), p.ready_active)
            as ready_active,
        coalesce(cast(getvariable('ready_new') as integer), p.ready_new)
            as ready_new,
        coalesce(cast(getvariable('coordinator_cost') as double), p.coordinator_cost)
            as coordinator_cost,
        cast(getvariable('target_rate') as double) as target_rate,
        coalesce(cast(getvariable('variable_cost') as double), p.variable_cost)
            as variable_cost,
        cast(getvariable('coordinator_start') as date) as coordinator_start,
        cast(getvariable('age_days') as integer) as age_days
    from int_default_as_of as d
    cross join param_defaults as p
),

months as (
    select
        *,
        coalesce(
            cast(date_trunc('month', month_to_set) as date),
            cast(date_trunc('month', as_of) as date)
        ) as month_to,
        coalesce(
            cast(date_trunc('week', week_to_set) as date),
            cast(date_trunc('week', as_of) as date)
        ) as week_to
    from variables
)

select
    as_of,
    window_days,
    all_codes,
    practice_id,
    active_months,
    coalesce(
        cast(date_trunc('month', month_from_set) as date),
        cast(month_to - to_months(range_months - 1) as date)
    ) as month_from,
    month_to,
    coalesce(
        cast(date_trunc('week', week_from_set) as date),
        cast(week_to - to_weeks(range_weeks - 1) as date)
    ) as week_from,
    week_to,
    ready_active,
    ready_new,
    coordinator_cost,
    target_rate,
    variable_cost,
    coordinator_start,
    age_days
from months;
