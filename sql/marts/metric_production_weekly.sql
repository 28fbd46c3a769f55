-- Production and collections per week, Monday to Sunday (spec section 5),
-- events on or before
-- A, each row counted by its own practice. gross_production = fees of
-- completed procedures completed in the week; adjustments = all adjustment
-- amounts (write-offs negative); net_production = gross + adjustments;
-- collections = payments (refunds negative), also split by payment source;
-- collection_rate = collections / net_production, NULL when net <= 0.
-- Grain: one row per week in range. Unit: dollars, ratio.
create or replace view metric_production_weekly as
with params as (
    select * from int_params
),

events as (
    select
        pr.completed_date as event_date,
        pr.fee as production,
        0 as adjustment,
        0 as payment,
        null as payment_source
    from stg_procedures as pr
    cross join params as p
    where
        pr.status = 'completed'
        and pr.completed_date <= p.as_of
        and (getvariable('practice_id') is null or pr.practice_id = getvariable('practice_id'))
    union all
    select
        a.adjustment_date as event_date,
        0 as production,
        a.amount as adjustment,
        0 as payment,
        null as payment_source
    from stg_adjustments as a
    cross join params as p
    where
        a.adjustment_date <= p.as_of
        and (getvariable('practice_id') is null or a.practice_id = getvariable('practice_id'))
    union all
    select
        pa.payment_date as event_date,
        0 as production,
        0 as adjustment,
        pa.amount as payment,
        pa.payment_source
    from stg_payments as pa
    cross join params as p
    where
        pa.payment_date <= p.as_of
        and (getvariable('practice_id') is null or pa.practice_id = getvariable('practice_id'))
),

by_month as (
    select
        cast(date_trunc('week', event_date) as date) as week_start,
        sum(production) as gross_production,
        sum(adjustment) as adjustments,
        sum(payment) as collections,
        sum(payment) filter (where payment_source = 'patient') as collections_patient,
        sum(payment) filter (where payment_source = 'insurance') as collections_insurance,
        sum(payment) filter (where payment_source = 'financing') as collections_financing
    from events
    group by 1
),

filled as (
    select
        w.week_start,
        coalesce(b.gross_production, 0) as gross_production,
        coalesce(b.adjustments, 0) as adjustments,
        coalesce(b.collections, 0) as collections,
        coalesce(b.collections_patient, 0) as collections_patient,
        coalesce(b.collections_insurance, 0) as collections_insurance,
        coalesce(b.collections_financing, 0) as collections_financing
    from int_weeks as w
    left join by_month as b on w.week_start = b.week_start
)

select
    week_start,
    gross_production,
    adjustments,
    gross_production + adjustments as net_production,
    collections,
    collections_patient,
    collections_insurance,
    collections_financing,
    case
        when gross_production + adjustments > 0
            then collections / (gross_production + adjustments)
    end as collection_rate
from filled
order by week_start;
