-- New patients over the months in range by referral_source (missing =
-- 'Unknown'); the same definition as metric_new_patients_monthly.
-- Grain: one row per referral source. Unit: patients.
create or replace view metric_new_patients_by_referral as
with params as (
    select * from int_params
)

select
    coalesce(nullif(trim(pt.referral_source), ''), 'Unknown') as referral_source,
    count(*) as count
from int_patients as pt
cross join params as p
where
    pt.can_be_new
    and pt.first_visit_date <= p.as_of
    and pt.first_visit_date >= p.month_from
    and pt.first_visit_date <= last_day(p.month_to)
    and (getvariable('practice_id') is null or pt.practice_id = getvariable('practice_id'))
group by all
order by count desc, referral_source asc;
