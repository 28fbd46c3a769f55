-- Recovered treatment (spec section 10), as of A: procedures (status planned or
-- completed) diagnosed on or before a contact with their patient and accepted 0 to
-- 30 days after it (and by A), once per team member who made such a contact
-- (team_member_id NULL when none was recorded). Not filtered by practice (marts
-- do). Grain: one row per (source_id, procedure_id, team_member_id).
create or replace view int_followup_recovered as
select distinct
    pr.source_id,
    pr.procedure_id,
    pr.practice_id,
    pr.fee,
    pr.accepted_date,
    l.team_member_id
from int_procedures as pr
inner join int_followups as l
    on pr.source_id = l.source_id and pr.patient_id = l.patient_id
cross join int_params as p
where
    pr.status in ('planned', 'completed')
    and pr.accepted_date <= p.as_of
    and l.contact_date <= p.as_of
    and pr.diagnosed_date <= l.contact_date
    and pr.accepted_date between l.contact_date and l.contact_date + 30;
