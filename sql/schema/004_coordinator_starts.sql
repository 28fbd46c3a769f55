-- People-entered: when a treatment coordinator started, per practice ('' = all
-- practices together), entered on the Coordinator page. No view reads it: the
-- page passes the date to metric_coordinator_before_after as a parameter, so the
-- table can move to another store without touching the views.
create table if not exists coordinator_starts (
    practice_key varchar primary key,
    member_id varchar,
    start_date date not null,
    entered_at timestamp not null default current_timestamp
);
