-- Open treatment as of A: procedures diagnosed on or before A and not accepted
-- by A (accepted_date NULL or after A; no window), of patients who are not
-- deceased or archived. kind 'unscheduled' = status planned; 'declined' =
-- status inactive (set aside or declined), reported beside it. Age = A -
-- diagnosed_date in days. Grain: one row per procedure.
create or replace view int_open_treatment as
select
    pr.source_id,
    pr.procedure_id,
    pr.practice_id,
    pr.patient_id,
    pr.provider_id,
    pr.provider_label as provider_name,
    pr.code,
    -- what a person reads: the export's description, else the code and its CDT category
    -- (code first: a narrow cell cuts the end of the text, never the code)
    coalesce(nullif(trim(pr.description), ''), pr.code || ' (' || pr.category || ')')
        as treatment,
    pr.category,
    pr.fee,
    pr.diagnosed_date,
    case when pr.status = 'planned' then 'unscheduled' else 'declined' end as kind,
    p.as_of - pr.diagnosed_date as age_days,
    case
        when p.as_of - pr.diagnosed_date <= 30 then '0-30'
        when p.as_of - pr.diagnosed_date <= 90 then '31-90'
        when p.as_of - pr.diagnosed_date <= 180 then '91-180'
        when p.as_of - pr.diagnosed_date <= 365 then '181-365'
        else '365+'
    end as bucket
from int_procedures as pr
cross join int_params as p
where
    pr.status in ('planned', 'inactive')
    and pr.diagnosed_date <= p.as_of
    and (pr.accepted_date is null or pr.accepted_date > p.as_of)
    and pr.patient_is_open;
