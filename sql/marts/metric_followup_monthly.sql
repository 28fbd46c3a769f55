-- Follow-up measures per month in range, for the whole team (is_team, team_member_id
-- NULL) and per team member (is_team false; team_member_id as recorded, NULL when
-- none was), spec section 10. Contacts dated after A never count.
-- contacts: contacts recorded in the month; patients_contacted: distinct patients.
-- declined_count: contacts with outcome declined.
-- speed (int_followup_speed): patients whose oldest unscheduled diagnosis falls in
-- the month (speed_patients) and those first contacted within 7 days of it
-- (speed_fast); speed_share = speed_fast / speed_patients (NULL without patients;
-- months before the month of the first recorded contact have none). A member's row
-- counts the patients that member contacted first.
-- recovered_amount (int_followup_recovered): fee of procedures accepted 0 to 30 days
-- after a contact with their patient, credited to the month of acceptance, each
-- procedure once (once per member on member rows).
-- Grain: month x (team | member). Unit: counts, a share, dollars.
create or replace view metric_followup_monthly as
with params as (
    select * from int_params
),

log as (
    select
        f.*,
        cast(date_trunc('month', f.contact_date) as date) as month_start
    from int_followups as f
    cross join params as p
    where
        f.contact_date <= p.as_of
        and (p.practice_id is null or f.practice_id = p.practice_id)
),

contact_rows as (
    select
        month_start,
        team_member_id,
        grouping(team_member_id) = 1 as is_team,
        count(*) as contacts,
        count(distinct [source_id, patient_id]) as patients_contacted,
        count(*) filter (where outcome = 'declined') as declined_count
    from log
    group by grouping sets ((month_start), (month_start, team_member_id))
),

speed_patients as (
    select
        s.contacted,
        s.fast,
        s.team_member_id,
        cast(date_trunc('month', s.oldest_date) as date) as month_start
    from int_followup_speed as s
    cross join params as p
    where p.practice_id is null or s.practice_id = p.practice_id
),

speed_rows as (
    select
        month_start,
        null as team_member_id,
        true as is_team,
        count(*) as speed_patients,
        count(*) filter (where fast) as speed_fast
    from speed_patients
    group by month_start
    union all
    select
        month_start,
        team_member_id,
        false as is_team,
        count(*) as speed_patients,
        count(*) filter (where fast) as speed_fast
    from speed_patients
    where contacted
    group by month_start, team_member_id
),

recovered_procedures as (
    select
        r.source_id,
        r.procedure_id,
        r.fee,
        r.team_member_id,
        cast(date_trunc('month', r.accepted_date) as date) as month_start
    from int_followup_recovered as r
    cross join params as p
    where p.practice_id is null or r.practice_id = p.practice_id
),

recovered_once as (
    select distinct
        source_id,
        procedure_id,
        fee,
        month_start
    from recovered_procedures
),

recovered_rows as (
    select
        month_start,
        null as team_member_id,
        true as is_team,
        sum(fee) as recovered_amount
    from recovered_once
    group by month_start
    union all
    select
        month_start,
        team_member_id,
        false as is_team,
        sum(fee) as recovered_amount
    from recovered_procedures
    group by month_start, team_member_id
),

scopes as (
    select
        null as team_member_id,
        true as is_team
    union
    select
        team_member_id,
        is_team
    from contact_rows
    where not is_team
    union
    select
        team_member_id,
        is_team
    from speed_rows
    where not is_team
    union
    select
        team_member_id,
        is_team
    from recovered_rows
    where not is_team
)

select
    m.month,
    s.team_member_id,
    s.is_team,
    coalesce(c.contacts, 0) as contacts,
    coalesce(c.patients_contacted, 0) as patients_contacted,
    coalesce(sp.speed_patients, 0) as speed_patients,
    coalesce(sp.speed_fast, 0) as speed_fast,
    case
        when sp.speed_patients > 0 then round(sp.speed_fast / sp.speed_patients, 4)
    end as speed_share,
    coalesce(r.recovered_amount, 0) as recovered_amount,
    coalesce(c.declined_count, 0) as declined_count
from int_months as m
cross join scopes as s
left join contact_rows as c
    on
        m.month = c.month_start
        and s.is_team = c.is_team
        and s.team_member_id is not distinct from c.team_member_id
left join speed_rows as sp
    on
        m.month = sp.month_start
        and s.is_team = sp.is_team
        and s.team_member_id is not distinct from sp.team_member_id
left join recovered_rows as r
    on
        m.month = r.month_start
        and s.is_team = r.is_team
        and s.team_member_id is not distinct from r.team_member_id
order by s.is_team desc, s.team_member_id asc nulls first, m.month asc;
