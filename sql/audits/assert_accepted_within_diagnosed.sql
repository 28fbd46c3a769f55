-- Audit: per month and per week, accepted never exceeds diagnosed and same-day
-- never exceeds accepted (by count and by amount). Returns violating periods.
select
    'month' as grain,
    month as period,
    diagnosed_count,
    accepted_count,
    diagnosed_amount,
    accepted_amount
from metric_acceptance_monthly
where
    accepted_count > diagnosed_count
    or accepted_amount > diagnosed_amount
    or same_day_count > accepted_count
    or same_day_amount > accepted_amount
    or rate_amount > 1
union all
select
    'week' as grain,
    week_start,
    diagnosed_count,
    accepted_count,
    diagnosed_amount,
    accepted_amount
from metric_acceptance_weekly
where
    accepted_count > diagnosed_count
    or accepted_amount > diagnosed_amount
    or same_day_count > accepted_count
    or same_day_amount > accepted_amount
    or rate_amount > 1;
