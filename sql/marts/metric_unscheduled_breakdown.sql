-- Unscheduled treatment as of A (see metric_unscheduled) by CDT category and
-- diagnosing provider (provider_name: team name, else the id, else
-- 'Unassigned'). Comparing two as-of dates shows what changed.
-- Grain: one row per category x provider. Unit: dollars, procedures.
create or replace view metric_unscheduled_breakdown as
select
    o.category,
    o.provider_id,
    o.provider_name,
    sum(o.fee) as amount,
    count(*) as procedure_count
from int_open_treatment as o
where
    o.kind = 'unscheduled'
    and (getvariable('practice_id') is null or o.practice_id = getvariable('practice_id'))
group by o.category, o.provider_id, o.provider_name
order by amount desc, o.category asc, o.provider_name asc;
