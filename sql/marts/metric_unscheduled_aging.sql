-- Unscheduled treatment as of A (see metric_unscheduled) aged by A -
-- diagnosed_date in days: 0-30, 31-90, 91-180, 181-365, 365+ (366 or more).
-- Every bucket appears. Grain: one row per bucket. Unit: dollars, procedures.
create or replace view metric_unscheduled_aging as
with buckets as (
    select
        b.bucket,
        b.sort_order
    from (
        values ('0-30', 1), ('31-90', 2), ('91-180', 3), ('181-365', 4), ('365+', 5)
    ) as b (bucket, sort_order)
),

aged as (
    select
        o.bucket,
        sum(o.fee) as amount,
        count(*) as procedure_count
    from int_open_treatment as o
    where
        o.kind = 'unscheduled'
        and (getvariable('practice_id') is null or o.practice_id = getvariable('practice_id'))
    group by o.bucket
)

select
    b.bucket,
    b.sort_order,
    coalesce(a.amount, 0) as amount,
    coalesce(a.procedure_count, 0) as procedure_count
from buckets as b
left join aged as a on b.bucket = a.bucket
order by b.sort_order;
