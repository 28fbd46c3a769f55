-- Sources: where each source's rows came from, and names and notes kept from loads.
-- source_origins: one row per source that a reader could identify (a live Open
-- Dental database: mysql://host:port/database), with the fingerprint of its
-- last load (per-table checksums read before the rows, the practice given at
-- load and the caseboard version) so an unchanged database is not read again,
-- and the checksums themselves (reconcile --live tells which tables changed).
-- practice_names: practice_id -> name as the source names it (Open Dental:
-- clinic Abbr, else Description). load_notes: every note and warning of a
-- batch's load report (never patient data), for the Data page.

create table if not exists source_origins (
    source_id varchar primary key,
    origin varchar,
    fingerprint varchar,
    checksums json,
    batch_id integer not null
);

create table if not exists practice_names (
    source_id varchar not null,
    practice_id varchar not null,
    name varchar not null,
    primary key (source_id, practice_id)
);

create table if not exists load_notes (
    batch_id integer not null,
    note varchar not null
);
