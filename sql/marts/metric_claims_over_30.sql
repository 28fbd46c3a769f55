-- Insurance claims to chase as of A, claim by claim: the outstanding claims of
-- metric_claims_outstanding (sent on or before A, not received by A; only the
-- dates decide) sent more than 30 days before A (days_out = A - sent_date >
-- 30), counted by the claim's practice, with the patient's name and phone and
-- the claim's insurance carrier (NULL when the export has none).
-- Sorted by days out, longest first. Grain: one row per claim. Unit: dollars,
-- days.
create or replace view metric_claims_over_30 as
with params as (
    select * from int_params
)

select
    c.source_id,
    c.claim_id,
    c.practice_id,
    c.patient_id,
    pt.first_name,
    pt.last_name,
    pt.phone,
    c.service_date,
    c.sent_date,
    c.billed_amount,
    c.carrier,
    p.as_of - c.sent_date as days_out
from stg_claims as c
cross join params as p
left join int_patients as pt
    on c.source_id = pt.source_id and c.patient_id = pt.patient_id
where
    c.sent_date <= p.as_of
    and (c.received_date is null or c.received_date > p.as_of)
    and p.as_of - c.sent_date > 30
    and (getvariable('practice_id') is null or c.practice_id = getvariable('practice_id'))
order by days_out desc, c.billed_amount desc, c.source_id asc, c.claim_id asc;
