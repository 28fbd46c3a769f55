-- Each followed-up patient's latest contact (spec section 10), for the call list's
-- row and the log: the latest contact on or before A (ties: the one recorded last),
-- its outcome, reason, next-contact date and team member, how many contacts there
-- were, whether the patient is overdue (next-contact date before A, no later
-- contact, no procedure accepted on or after the latest contact's date up to A),
-- whether the next contact is due (next-contact date on or before A, same
-- conditions), and whether the patient is still in the practice data. Names and
-- phone from the patients table (NULL for a removed patient).
-- Grain: one row per patient with a contact. Unit: dates, a count, days.
create or replace view metric_followup_latest as
with params as (
    select * from int_params
),

log as (
    select
        f.*,
        row_number() over (
            partition by f.source_id, f.patient_id
            order by f.contact_date desc, f.followup_id desc
        ) as recency,
        count(*) over (partition by f.source_id, f.patient_id) as contact_count
    from int_followups as f
    cross join params as p
    where
        f.contact_date <= p.as_of
        and (p.practice_id is null or f.practice_id = p.practice_id)
),

latest as (
    select *
    from log
    where recency = 1
),

accepted_since as (
    select distinct
        l.source_id,
        l.patient_id
    from latest as l
    inner join int_procedures as pr
        on l.source_id = pr.source_id and l.patient_id = pr.patient_id
    cross join params as p
    where
        pr.status in ('planned', 'completed')
        and pr.accepted_date between l.contact_date and p.as_of
)

select
    l.source_id,
    l.patient_id,
    l.practice_id,
    pt.first_name,
    pt.last_name,
    pt.phone,
    l.contact_date as last_contact_date,
    l.outcome as last_outcome,
    l.reason as last_reason,
    l.next_contact_date,
    l.team_member_id,
    l.contact_count,
    l.in_practice_data,
    l.next_contact_date is not null and l.next_contact_date < p.as_of and a.patient_id is null
        as overdue,
    l.next_contact_date is not null and l.next_contact_date <= p.as_of and a.patient_id is null
        as due,
    case when l.next_contact_date < p.as_of then p.as_of - l.next_contact_date end
        as days_overdue
from latest as l
cross join params as p
left join accepted_since as a
    on l.source_id = a.source_id and l.patient_id = a.patient_id
left join int_patients as pt
    on l.source_id = pt.source_id and l.patient_id = pt.patient_id
order by l.next_contact_date nulls last, l.source_id, l.patient_id;
