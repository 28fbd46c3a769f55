-- Audit: net production = gross + adjustments, collections = the sum of its
-- three sources, and no collection rate where net production <= 0, per month
-- and per week. Returns mismatches.
select
    'month' as grain,
    month as period,
    net_production,
    collections
from metric_production_monthly
where
    net_production <> gross_production + adjustments
    or collections <> collections_patient + collections_insurance + collections_financing
    or (net_production <= 0 and collection_rate is not null)
union all
select
    'week' as grain,
    week_start,
    net_production,
    collections
from metric_production_weekly
where
    net_production <> gross_production + adjustments
    or collections <> collections_patient + collections_insurance + collections_financing
    or (net_production <= 0 and collection_rate is not null);
