-- Follow-up log: every entry in the order it is exported (contact date, then the
-- order it was recorded). Runs on the entries file (caseboard.entries.read_entries).
select
    followup_id,
    source_id,
    practice_id,
    patient_id,
    contact_date,
    outcome,
    reason,
    next_contact_date,
    note,
    team_member_id,
    recorded_at
from followups
order by contact_date, followup_id;
