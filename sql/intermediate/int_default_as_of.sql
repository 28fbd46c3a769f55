-- Default as-of date A: the newest event date in the loaded data over all
-- practices (int_event_dates: diagnosed, scheduled, completed; payments;
-- adjustments; claim service/sent/received; plan presented/signed; first
-- visits), never a date after the day of the newest load (a data error the
-- data-health checks list; spec: metrics.md, notation). The load day when no
-- event date qualifies (today when nothing is loaded).
-- Grain: one row. Unit: date.
-- Materialized: parameter-free, so it is rebuilt as a table on every write
-- (caseboard.storage.build_views) and read by the views above it.
create or replace table int_default_as_of as
select
    coalesce(
        (
            select max(event_date) from int_event_dates
            where not after_load
        ),
        (select load_day from int_load_day)
    ) as as_of;
