-- Production and collections per week, Monday to Sunday (spec section 5),
-- events on or before
-- A, each row counted by its own practice. gross_production = fees of
-- completed procedures completed in the week; adjustments = all adjustment
-- amounts (write-offs negative); net_production = gross + adjustments;
-- collections = payments (refunds negative), also split by payment source;
-- collection_rate = collections / net_production, NULL when net <= 0.
-- Days come summed per practice by int_daily_money.
-- Grain: one row per week in range. Unit: dollars, ratio.
create or replace view metric_production_weekly as
with params as (
    select * from int_params
),

by_month as (
    select
        cast(date_trunc('week', d.event_date) as date) as week_start,
        sum(d.gross_production) as gross_production,
        sum(d.adjustments) as adjustments,
        sum(d.collections) as collections,
        sum(d.collections_patient) as collections_patient,
        sum(d.collections_insurance) as collections_insurance,
        sum(d.collections_financing) as collections_financing
    from int_daily_money as d
    cross join params as p
    where
        d.event_date <= p.as_of
        and d.event_date >= p.week_from
        and d.event_date <= p.week_to + 6
        and (getvariable('practice_id') is null or d.practice_id = getvariable('practice_id'))
    group by all
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
