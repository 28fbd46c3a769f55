-- Default as-of date A: the newest event date in the loaded data over all
-- practices (diagnosed, scheduled, completed; payments; adjustments; claim
-- service/sent/received; plan presented/signed; first visits). Future
-- appointment dates and birth dates are not events, nor dates after the day of
-- the last load (data errors). Today when nothing is loaded.
-- Grain: one row. Unit: date.
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views) and read by the views above it.
create or replace table int_default_as_of as
with event_dates as (
    select diagnosed_date as event_date from stg_procedures
    union all
    select scheduled_date from stg_procedures
    union all
    select completed_date from stg_procedures
    union all
    select payment_date from stg_payments
    union all
    select adjustment_date from stg_adjustments
    union all
    select service_date from stg_claims
    union all
    select sent_date from stg_claims
    union all
    select received_date from stg_claims
    union all
    select presented_date from stg_treatment_plans
    union all
    select signed_date from stg_treatment_plans
    union all
    select first_visit_date from stg_patients
)

select coalesce(max(event_date), current_date) as as_of
from event_dates
-- a date after the day of the last load is a data error, never the default A
where
    event_date
    <= coalesce((select cast(max(l.finished_at) as date) from loads as l), event_date);
