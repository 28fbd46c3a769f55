-- Follow-up log: add one contact unless the very same entry is already there (so an
-- import run twice, or a double click, adds nothing). Runs on the entries file
-- (caseboard.entries.write_entries). Parameters: $1 source_id, $2 practice_id,
-- $3 patient_id, $4 contact_date, $5 outcome, $6 reason, $7 next_contact_date,
-- $8 note, $9 team_member_id.
insert into followups (
    source_id, practice_id, patient_id, contact_date, outcome, reason,
    next_contact_date, note, team_member_id
)
select
    $1 as source_id,
    $2 as practice_id,
    $3 as patient_id,
    cast($4 as date) as contact_date,
    $5 as outcome,
    $6 as reason,
    cast($7 as date) as next_contact_date,
    $8 as note,
    $9 as team_member_id
where not exists (
    select 1
    from followups as f
    where
        f.source_id = $1
        and f.practice_id = $2
        and f.patient_id = $3
        and f.contact_date = cast($4 as date)
        and f.outcome = $5
        and f.reason is not distinct from $6
        and f.next_contact_date is not distinct from cast($7 as date)
        and f.note is not distinct from $8
        and f.team_member_id is not distinct from $9
);
