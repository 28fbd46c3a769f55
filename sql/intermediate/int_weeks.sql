-- The weeks shown (Monday to Sunday): week_from .. week_to. period_end is the
-- Sunday, or A when A falls inside the week. Grain: one row per week.
create or replace view int_weeks as
with series as (
    select unnest(generate_series(week_from, week_to, interval 7 day)) as week_start
    from int_params
)

select
    cast(s.week_start as date) as week_start,
    cast(s.week_start as date) + 6 as week_end,
    least(cast(s.week_start as date) + 6, p.as_of) as period_end
from series as s
cross join int_params as p;
