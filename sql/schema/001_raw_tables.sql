-- Raw tables: the standard export format as read, one table per export table.
-- Grain: one row per (source_id, <table key>). Every row keeps the batch that
-- last wrote it; removed_batch_id is set (never deleted) when a later --full
-- export of the same source no longer contains the row. Amounts are exact
-- decimals; ids are text. Status defaults (patients.status missing = active)
-- are applied in staging, so raw keeps what was read.

create table if not exists raw_patients (
    source_id varchar not null,
    patient_id varchar not null,
    practice_id varchar not null,
    first_name varchar,
    last_name varchar,
    phone varchar,
    email varchar,
    birth_date date,
    status varchar,
    first_visit_date date,
    referral_source varchar,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, patient_id)
);

create table if not exists raw_team (
    source_id varchar not null,
    member_id varchar not null,
    practice_id varchar not null,
    name varchar,
    role varchar,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, member_id)
);

create table if not exists raw_treatment_plans (
    source_id varchar not null,
    plan_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    presented_date date,
    presenter_id varchar,
    status varchar,
    signed_date date,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, plan_id)
);

create table if not exists raw_procedures (
    source_id varchar not null,
    procedure_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    plan_id varchar,
    provider_id varchar,
    code varchar not null,
    description varchar,
    fee decimal(18, 4) not null,
    status varchar not null,
    diagnosed_date date not null,
    scheduled_date date,
    appointment_date date,
    completed_date date,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, procedure_id)
);

create table if not exists raw_appointments (
    source_id varchar not null,
    appointment_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    start timestamp not null,
    status varchar not null,
    booked_at timestamp,
    provider_id varchar,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, appointment_id)
);

create table if not exists raw_payments (
    source_id varchar not null,
    payment_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    date date not null,
    amount decimal(18, 4) not null,
    source varchar not null,
    method varchar,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, payment_id)
);

create table if not exists raw_adjustments (
    source_id varchar not null,
    adjustment_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    date date not null,
    amount decimal(18, 4) not null,
    kind varchar not null,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, adjustment_id)
);

create table if not exists raw_claims (
    source_id varchar not null,
    claim_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    service_date date not null,
    sent_date date,
    status varchar not null,
    billed_amount decimal(18, 4) not null,
    estimate_amount decimal(18, 4),
    paid_amount decimal(18, 4),
    received_date date,
    carrier varchar,
    batch_id integer not null,
    row_hash ubigint not null,
    removed_batch_id integer,
    primary key (source_id, claim_id)
);
