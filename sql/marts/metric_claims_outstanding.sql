-- Outstanding insurance claims as of A (spec section 7): claims sent on or
-- before A and not received by A (received_date NULL or after A); only the
-- dates decide, not status. Counted by the claim's practice. amount = billed
-- amount, also aged by A - sent_date: 0-30, 31-60, 61-90, 91+.
-- Grain: one row. Unit: claims, dollars.
create or replace view metric_claims_outstanding as
with params as (
    select * from int_params
),

outstanding as (
    select
        c.billed_amount,
        p.as_of - c.sent_date as age_days
    from stg_claims as c
    cross join params as p
    where
        c.sent_date <= p.as_of
        and (c.received_date is null or c.received_date > p.as_of)
        and (getvariable('practice_id') is null or c.practice_id = getvariable('practice_id'))
)

select
    count(*) as count,
    coalesce(sum(billed_amount), 0) as amount,
    coalesce(sum(billed_amount) filter (where age_days <= 30), 0) as aging_0_30,
    coalesce(sum(billed_amount) filter (where age_days between 31 and 60), 0) as aging_31_60,
    coalesce(sum(billed_amount) filter (where age_days between 61 and 90), 0) as aging_61_90,
    coalesce(sum(billed_amount) filter (where age_days > 90), 0) as aging_91_plus
from outstanding;
