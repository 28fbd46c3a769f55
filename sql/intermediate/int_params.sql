-- Metric parameters as one row: the session variables set by
-- caseboard.metrics.apply_params, with the spec's defaults where unset.
-- Months default to the 12 ending with A's month (--from alone runs to A's
-- month; --to alone covers the 12 months ending there); weeks to the 13
-- ending with A's week. age_days: the equal-age cap of compared periods
-- (section 1; NULL = no cap). Grain: one row.
create or replace view int_params as
with variables as (
    select
        coalesce(cast(getvariable('as_of') as date), d.as_of) as as_of,
        coalesce(cast(getvariable('window_days') as integer), 90) as window_days,
        coalesce(cast(getvariable('all_codes') as boolean), false) as all_codes,
        cast(getvariable('practice_id') as varchar) as practice_id,
        coalesce(cast(getvariable('active_months') as integer), 18) as active_months,
        cast(getvariable('month_from') as date) as month_from_set,
        cast(getvariable('month_to') as date) as month_to_set,
        cast(getvariable('week_from') as date) as week_from_set,
        cast(getvariable('week_to') as date) as week_to_set,
        coalesce(cast(getvariable('ready_active') as integer), 1500) as ready_active,
        coalesce(cast(getvariable('ready_new') as integer), 50) as ready_new,
        cast(getvariable('age_days') as integer) as age_days
    from int_default_as_of as d
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
        cast(month_to - to_months(11) as date)
    ) as month_from,
    month_to,
    coalesce(
        cast(date_trunc('week', week_from_set) as date),
        cast(week_to - to_weeks(12) as date)
    ) as week_from,
    week_to,
    ready_active,
    ready_new,
    age_days
from months;
