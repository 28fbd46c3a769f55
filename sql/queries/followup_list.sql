-- Follow-up log with whether each patient is still in the practice data (main
-- database with the entries attached), in export order.
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
    in_practice_data
from int_followups
order by contact_date, followup_id;
