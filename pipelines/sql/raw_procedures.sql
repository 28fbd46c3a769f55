-- Loader statements for raw_procedures (pipelines/load.py runs each section by name).
-- The incoming rows are the table `stage.procedures` of the attached staging database
-- (pipelines/stage.py: the standard columns plus __row); `refused_keys` (column
-- key) holds the keys of this table's refused rows.

-- name: stage_rowids
-- One past the largest rowid of the staged rows (the upsert's slices cover it).
select coalesce(max(rowid) + 1, 0) as rowid_end
from stage.procedures;

-- name: has_keys
-- Whether the source has live rows here (references to this table are then checked).
select exists (
    select 1
    from raw_procedures
    where source_id = $source_id and removed_batch_id is null
) as present;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
-- The loader runs it over stage slices ($row_from <= rowid < $row_to), each
-- its own commit, so the key index of one slice is merged at a time.
insert into raw_procedures (
    source_id,
    procedure_id,
    practice_id,
    patient_id,
    plan_id,
    provider_id,
    code,
    description,
    fee,
    status,
    diagnosed_date,
    scheduled_date,
    appointment_date,
    completed_date,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.procedure_id,
    s.practice_id,
    s.patient_id,
    s.plan_id,
    s.provider_id,
    s.code,
    s.description,
    s.fee,
    s.status,
    s.diagnosed_date,
    s.scheduled_date,
    s.appointment_date,
    s.completed_date,
    $batch_id,
    s.row_hash,
    null
from (
    select
        *,
        $source_id as source_id,
        hash(
            practice_id,
            patient_id,
            plan_id,
            provider_id,
            code,
            description,
            fee,
            status,
            diagnosed_date,
            scheduled_date,
            appointment_date,
            completed_date
        ) as row_hash
    from stage.procedures
    where rowid >= $row_from and rowid < $row_to
) as s
left join raw_procedures as t
    on t.source_id = s.source_id and t.procedure_id = s.procedure_id
where
    t.procedure_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, procedure_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    plan_id = excluded.plan_id,
    provider_id = excluded.provider_id,
    code = excluded.code,
    description = excluded.description,
    fee = excluded.fee,
    status = excluded.status,
    diagnosed_date = excluded.diagnosed_date,
    scheduled_date = excluded.scheduled_date,
    appointment_date = excluded.appointment_date,
    completed_date = excluded.completed_date,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_procedures as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from stage.procedures as k where k.procedure_id = t.procedure_id)
    and not exists (select 1 from refused_keys as k where k.key = t.procedure_id);

-- name: refused_refs
-- Staged rows whose reference matches no row of its table: neither in this
-- export (after that table's own refusals) nor live in the database for the
-- source. A column is checked only when its $check_<column> is true.
create or replace temp table refused_rows as
select *
from (
    select
        s.*,
        coalesce(
            $check_patient_id
            and s.patient_id is not null
            and not exists (
                select 1 from stage.patients as r
                where r.patient_id = s.patient_id
            )
            and not exists (
                select 1 from raw_patients as r
                where
                    r.source_id = $source_id
                    and r.removed_batch_id is null
                    and r.patient_id = s.patient_id
            ),
            false
        ) as __bad_patient_id,
        coalesce(
            $check_plan_id
            and s.plan_id is not null
            and not exists (
                select 1 from stage.treatment_plans as r
                where r.plan_id = s.plan_id
            )
            and not exists (
                select 1 from raw_treatment_plans as r
                where
                    r.source_id = $source_id
                    and r.removed_batch_id is null
                    and r.plan_id = s.plan_id
            ),
            false
        ) as __bad_plan_id,
        coalesce(
            $check_provider_id
            and s.provider_id is not null
            and not exists (
                select 1 from stage.team as r
                where r.member_id = s.provider_id
            )
            and not exists (
                select 1 from raw_team as r
                where
                    r.source_id = $source_id
                    and r.removed_batch_id is null
                    and r.member_id = s.provider_id
            ),
            false
        ) as __bad_provider_id
    from stage.procedures as s
)
where __bad_patient_id or __bad_plan_id or __bad_provider_id;

-- name: drop_refused
-- The rows refused by reference leave the stage before later tables check against it.
delete from stage.procedures
where procedure_id in (select r.procedure_id from refused_rows as r);

-- name: negative_completed_fees
-- Completed procedures with a negative fee in this load (a data-health warning, not a
-- refusal): how many, and the file rows of the first five.
select
    count(*) as row_count,
    list(__row order by __row)[1:5] as first_rows
from stage.procedures
where status = 'completed' and fee < 0;
