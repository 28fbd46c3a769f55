-- The acceptance cohort: procedures with status planned/completed/inactive
-- diagnosed on or before A (D0*/D1*/D9986/D9987 left out unless all_codes),
-- each with accepted_date, whether it is accepted (accepted_date <= A and
-- <= diagnosed_date + W days), same-day (accepted on the diagnosed date), its
-- case key, its presenter (the
-- plan's presenter_id, team name, else 'Unassigned') and its diagnosing
-- provider. No case totals (see int_diagnosed_procedures), so a mart's
-- practice filter reaches the table scan. Not filtered by practice (marts and
-- goals filter). Grain: one row per diagnosed procedure.
create or replace view int_acceptance_cohort as
select
    pr.source_id,
    pr.procedure_id,
    pr.practice_id,
    pr.patient_id,
    pr.plan_id,
    pr.code,
    pr.category,
    pr.fee,
    pr.status,
    pr.diagnosed_date,
    pr.accepted_date,
    coalesce(
        pr.accepted_date <= p.as_of
        and pr.accepted_date <= pr.diagnosed_date + p.window_days, false
    ) as is_accepted,
    coalesce(
        pr.accepted_date <= p.as_of
        and pr.accepted_date <= pr.diagnosed_date + p.window_days, false
    ) and pr.accepted_date = pr.diagnosed_date as is_same_day,
    pr.case_key,
    pr.case_num,
    pr.case_in_one_practice,
    pr.presenter_id,
    pr.presenter_label,
    pr.provider_id,
    pr.provider_label
from int_procedures as pr
cross join int_params as p
where
    pr.status in ('planned', 'completed', 'inactive')
    and pr.diagnosed_date <= p.as_of
    and (p.all_codes or pr.counts_in_acceptance);
