-- Raw Open Dental rows kept for reconciliation with Open Dental's own reports
-- (caseboard reconcile; sql/marts/reconcile_*.sql). Written by the Open Dental
-- adapter (pipelines/opendental/raw.py) at each load of an Open Dental source,
-- replacing that source's rows. Grain: one row per (source_id, Open Dental key).
-- Only the columns the reports need; blank dates are NULL, 0 keys are NULL,
-- money stays Open Dental's double so sums match its reports. practice_id is
-- mapped from ClinicNum as for the standard tables. Deleted patients' rows
-- are kept here (Open Dental's reports count them).

create table if not exists od_patient (
    source_id varchar not null,
    pat_num varchar not null,
    practice_id varchar not null,
    pat_status integer,
    batch_id integer not null,
    primary key (source_id, pat_num)
);

create table if not exists od_procedurelog (
    source_id varchar not null,
    proc_num varchar not null,
    pat_num varchar,
    practice_id varchar not null,
    proc_status integer,
    proc_date date,
    proc_fee double,
    unit_qty integer,
    base_units integer,
    proc_code varchar,
    batch_id integer not null,
    primary key (source_id, proc_num)
);

create table if not exists od_adjustment (
    source_id varchar not null,
    adj_num varchar not null,
    pat_num varchar,
    practice_id varchar not null,
    adj_date date,
    adj_amt double,
    batch_id integer not null,
    primary key (source_id, adj_num)
);

create table if not exists od_paysplit (
    source_id varchar not null,
    split_num varchar not null,
    pat_num varchar,
    practice_id varchar not null,
    date_pay date,
    split_amt double,
    unearned_type varchar,
    pay_type varchar,
    batch_id integer not null,
    primary key (source_id, split_num)
);

create table if not exists od_claimproc (
    source_id varchar not null,
    claim_proc_num varchar not null,
    pat_num varchar,
    practice_id varchar not null,
    status integer,
    date_cp date,
    proc_date date,
    ins_pay_amt double,
    write_off double,
    claim_payment_num varchar,
    claim_type varchar,
    batch_id integer not null,
    primary key (source_id, claim_proc_num)
);
