-- People's entries: the coordinator's follow-up log (spec section 10). Lives in
-- the entries file beside the database (caseboard/entries.py), never written by
-- a load. A patient is referenced by (source_id, patient_id), which a reload
-- keeps; practice_id is kept too, for export and for patients a --full load
-- removed. recorded_at is when the entry was typed (not part of the CSV).

create sequence if not exists followup_id_seq start 1;

create table if not exists followups (
    followup_id integer primary key default nextval('followup_id_seq'),
    source_id varchar not null,
    practice_id varchar not null,
    patient_id varchar not null,
    contact_date date not null,
    outcome varchar not null check (
        outcome in (
            'reached', 'left_message', 'no_answer', 'scheduled', 'declined', 'wrong_number'
        )
    ),
    reason varchar check (
        reason in ('cost', 'insurance', 'timing', 'fear', 'second_opinion', 'other')
    ),
    next_contact_date date,
    note varchar,
    team_member_id varchar,
    recorded_at timestamp not null default current_timestamp,
    check (reason is null or outcome = 'declined')
);
