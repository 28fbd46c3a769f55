-- Loader statements for raw_treatment_plans (pipelines/load.py runs each section by name).
-- The incoming rows are the table `stage.treatment_plans` of the attached staging database
-- (pipelines/stage.py: the standard columns plus __row); `refused_keys` (column
-- key) holds the keys of this table's refused rows.

-- name: stage_rowids
-- One past the largest rowid of the staged rows (the upsert's slices cover it).
select coalesce(max(rowid) + 1, 0) as rowid_end
from stage.treatment_plans;

-- name: has_keys
-- Whether the source has live rows here (references to this table are then checked).
select exists (
    select 1
    from raw_treatment_plans
    where source_id = $source_id and removed_batch_id is null
) as present;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
-- The loader runs it over stage slices ($row_from <= rowid < $row_to), each
-- its own commit, so the key index of one slice is merged at a time.
insert into raw_treatment_plans (
    source_id,
    plan_id,
    practice_id,
    patient_id,
    presented_date,
    presenter_id,
    status,
    signed_date,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.plan_id,
    s.practice_id,
    s.patient_id,
    s.presented_date,
    s.presenter_id,
    s.status,
    s.signed_date,
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
            presented_date,
            presenter_id,
            status,
            signed_date
        ) as row_hash
    from stage.treatment_plans
    where rowid >= $row_from and rowid < $row_to
) as s
left join raw_treatment_plans as t
    on t.source_id = s.source_id and t.plan_id = s.plan_id
where
    t.plan_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, plan_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    presented_date = excluded.presented_date,
    presenter_id = excluded.presenter_id,
    status = excluded.status,
    signed_date = excluded.signed_date,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_treatment_plans as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from stage.treatment_plans as k where k.plan_id = t.plan_id)
    and not exists (select 1 from refused_keys as k where k.key = t.plan_id);

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
            $check_presenter_id
            and s.presenter_id is not null
            and not exists (
                select 1 from stage.team as r
                where r.member_id = s.presenter_id
            )
            and not exists (
                select 1 from raw_team as r
                where
                    r.source_id = $source_id
                    and r.removed_batch_id is null
                    and r.member_id = s.presenter_id
            ),
            false
        ) as __bad_presenter_id
    from stage.treatment_plans as s
)
where __bad_patient_id or __bad_presenter_id;

-- name: drop_refused
-- The rows refused by reference leave the stage before later tables check against it.
delete from stage.treatment_plans
where plan_id in (select r.plan_id from refused_rows as r);
