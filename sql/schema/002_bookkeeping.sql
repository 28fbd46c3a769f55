-- Bookkeeping: load batches, quarantined rows, goals and build metadata.

create sequence if not exists batch_id_seq start 1;

create table if not exists loads (
    batch_id integer primary key,
    source_id varchar not null,
    format varchar not null,
    practices varchar[] not null,
    full_export boolean not null,
    started_at timestamp not null,
    finished_at timestamp not null,
    files json not null,
    counts json not null,
    unchanged boolean not null
);

create table if not exists rejects (
    batch_id integer not null,
    table_name varchar not null,
    file_name varchar not null,
    row_number integer,
    row_key varchar,
    column_name varchar,
    value varchar,
    reason varchar not null,
    row_data json
);

create sequence if not exists goal_id_seq start 1;

create table if not exists goals (
    goal_id integer primary key default nextval('goal_id_seq'),
    metric varchar not null,
    target double not null,
    period varchar not null,
    practice_id varchar,
    member_id varchar,
    created_at timestamp not null default current_timestamp
);

create table if not exists caseboard_meta (
    key varchar primary key,
    value varchar not null
);
