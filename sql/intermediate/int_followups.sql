-- The coordinator's follow-up log (spec section 10): every entry of
-- entries.followups (the entries file beside the database, caseboard/entries.py),
-- with whether its patient is still in the practice data (a live patient row of
-- the same source; false after a --full load removed the patient). Not filtered
-- by practice or date (marts do). Grain: one row per recorded contact.
create or replace view int_followups as
select
    f.followup_id,
    f.source_id,
    f.practice_id,
    f.patient_id,
    f.contact_date,
    f.outcome,
    f.reason,
    f.next_contact_date,
    f.note,
    f.team_member_id,
    pt.patient_id is not null as in_practice_data
from entries.followups as f
left join int_patients as pt
    on f.source_id = pt.source_id and f.patient_id = pt.patient_id;
