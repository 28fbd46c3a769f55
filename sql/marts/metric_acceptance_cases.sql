-- Case-level acceptance by the month a case starts (its earliest diagnosed
-- date). A case = the diagnosed procedures of one plan, or without a plan of
-- one patient on one diagnosed date. accepted_cases: any procedure accepted
-- (partial acceptance); fully_accepted_cases: every procedure accepted.
-- Cases are grouped by case_num, one number per (source_id, case key).
-- Grain: one row per month in range. Unit: cases.
create or replace view metric_acceptance_cases as
with cases as (
    select
        d.case_num,
        min(d.case_start) as case_start,
        bool_or(d.is_accepted) as any_accepted,
        bool_and(d.is_accepted) as all_accepted
    from int_diagnosed_procedures as d
    where getvariable('practice_id') is null or d.practice_id = getvariable('practice_id')
    group by d.case_num
),

by_month as (
    select
        cast(date_trunc('month', case_start) as date) as month,
        count(*) as case_count,
        count(*) filter (where any_accepted) as accepted_cases,
        count(*) filter (where all_accepted) as fully_accepted_cases
    from cases
    group by all
)

select
    m.month,
    coalesce(b.case_count, 0) as case_count,
    coalesce(b.accepted_cases, 0) as accepted_cases,
    coalesce(b.fully_accepted_cases, 0) as fully_accepted_cases
from int_months as m
left join by_month as b on m.month = b.month
order by m.month;
