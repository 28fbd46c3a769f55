-- Follow-up speed per patient (spec section 10), as of A. A patient's oldest
-- unscheduled diagnosis is the earliest diagnosed_date (<= A) of their procedures
-- (status planned or completed, patient not deceased or archived) that were not
-- accepted on the day they were diagnosed; one row per patient and practice whose
-- oldest date is on or after the first day of the month of the first contact in
-- the log (before it the log did not exist; no row at all while it is empty).
-- first_contact_date: the patient's first contact (up to A) on or after that date,
-- team_member_id who made it (ties: recorded first); fast = first contacted within
-- 7 days (day 0 + 7 is fast, + 8 is not). Not filtered by practice (marts do).
-- Grain: one row per (source_id, patient_id, practice_id).
create or replace view int_followup_speed as
with params as (
    select * from int_params
),

log as (
    select f.*
    from int_followups as f
    cross join params as p
    where f.contact_date <= p.as_of
),

unscheduled as (
    select
        pr.source_id,
        pr.patient_id,
        pr.practice_id,
        min(pr.diagnosed_date) as oldest_date
    from int_procedures as pr
    cross join params as p
    where
        pr.status in ('planned', 'completed')
        and pr.patient_is_open
        and pr.diagnosed_date <= p.as_of
        and (pr.accepted_date is null or pr.accepted_date > pr.diagnosed_date)
    group by pr.source_id, pr.patient_id, pr.practice_id
    having
        min(pr.diagnosed_date)
        >= (select cast(date_trunc('month', min(l.contact_date)) as date) from log as l)
),

first_contacts as (
    select
        u.source_id,
        u.patient_id,
        u.practice_id,
        min(l.contact_date) as first_contact_date,
        arg_min(l.team_member_id, (l.contact_date, l.followup_id)) as team_member_id
    from unscheduled as u
    inner join log as l
        on
            u.source_id = l.source_id
            and u.patient_id = l.patient_id
            and u.oldest_date <= l.contact_date
    group by u.source_id, u.patient_id, u.practice_id
)

select
    u.source_id,
    u.patient_id,
    u.practice_id,
    u.oldest_date,
    fc.first_contact_date,
    fc.team_member_id,
    fc.first_contact_date is not null as contacted,
    coalesce(fc.first_contact_date <= u.oldest_date + 7, false) as fast
from unscheduled as u
left join first_contacts as fc
    on
        u.source_id = fc.source_id
        and u.patient_id = fc.patient_id
        and u.practice_id = fc.practice_id;
