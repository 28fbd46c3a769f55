-- Production and collections per practice and day, whatever A: gross
-- production (fees of completed procedures on their completed_date),
-- adjustments (all amounts, write-offs negative) and collections (payments,
-- refunds negative; also split by payment source), each event counted by its
-- own practice. The production marts sum these days up to A.
-- Grain: one row per (practice_id, event_date). Unit: dollars.
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views); sorted by practice and day.
create or replace table int_daily_money as
with events as (
    select
        pr.practice_id,
        pr.completed_date as event_date,
        pr.fee as production,
        0 as adjustment,
        0 as payment,
        null as payment_source
    from stg_procedures as pr
    where pr.status = 'completed' and pr.completed_date is not null
    union all
    select
        a.practice_id,
        a.adjustment_date as event_date,
        0 as production,
        a.amount as adjustment,
        0 as payment,
        null as payment_source
    from stg_adjustments as a
    where a.adjustment_date is not null
    union all
    select
        pa.practice_id,
        pa.payment_date as event_date,
        0 as production,
        0 as adjustment,
        pa.amount as payment,
        pa.payment_source
    from stg_payments as pa
    where pa.payment_date is not null
)

select
    practice_id,
    event_date,
    sum(production) as gross_production,
    sum(adjustment) as adjustments,
    sum(payment) as collections,
    sum(payment) filter (where payment_source = 'patient') as collections_patient,
    sum(payment) filter (where payment_source = 'insurance') as collections_insurance,
    sum(payment) filter (where payment_source = 'financing') as collections_financing
from events
group by practice_id, event_date
order by practice_id, event_date;
