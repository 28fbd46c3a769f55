-- The calendar months shown: month_from .. month_to. period_end is the month's
-- last day, or A when A falls inside it (events after A never count).
-- Grain: one row per month.
create or replace view int_months as
with series as (
    select unnest(generate_series(month_from, month_to, interval 1 month)) as month_start
    from int_params
)

select
    cast(s.month_start as date) as month,
    last_day(cast(s.month_start as date)) as month_end,
    least(last_day(cast(s.month_start as date)), p.as_of) as period_end
from series as s
cross join int_params as p;
