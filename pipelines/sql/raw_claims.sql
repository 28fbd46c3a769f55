-- Loader statements for raw_claims (pipelines/load.py runs each section by name).
-- The incoming rows are the table `stage.claims` of the attached staging database
-- (pipelines/stage.py: the standard columns plus __row); `refused_keys` (column
-- key) holds the keys of this table's refused rows.

-- name: stage_rowids
-- One past the largest rowid of the staged rows (the upsert's slices cover it).
select coalesce(max(rowid) + 1, 0) as rowid_end
from stage.claims;

-- name: has_keys
-- Whether the source has live rows here (references to this table are then checked).
select exists (
    select 1
    from raw_claims
    where source_id = $source_id and removed_batch_id is null
) as present;

-- name: upsert
-- New rows, changed rows (by row_hash) and rows live again are written;
-- unchanged rows are not touched and keep the batch that last wrote them.
-- The loader runs it over stage slices ($row_from <= rowid < $row_to), each
-- its own commit, so the key index of one slice is merged at a time.
insert into raw_claims (
    source_id,
    claim_id,
    practice_id,
    patient_id,
    service_date,
    sent_date,
    status,
    billed_amount,
    estimate_amount,
    paid_amount,
    received_date,
    carrier,
    batch_id,
    row_hash,
    removed_batch_id
)
select
    s.source_id,
    s.claim_id,
    s.practice_id,
    s.patient_id,
    s.service_date,
    s.sent_date,
    s.status,
    s.billed_amount,
    s.estimate_amount,
    s.paid_amount,
    s.received_date,
    s.carrier,
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
            service_date,
            sent_date,
            status,
            billed_amount,
            estimate_amount,
            paid_amount,
            received_date,
            carrier
        ) as row_hash
    from stage.claims
    where rowid >= $row_from and rowid < $row_to
) as s
left join raw_claims as t
    on t.source_id = s.source_id and t.claim_id = s.claim_id
where
    t.claim_id is null
    or t.row_hash <> s.row_hash
    or t.removed_batch_id is not null
on conflict (source_id, claim_id) do update set
    practice_id = excluded.practice_id,
    patient_id = excluded.patient_id,
    service_date = excluded.service_date,
    sent_date = excluded.sent_date,
    status = excluded.status,
    billed_amount = excluded.billed_amount,
    estimate_amount = excluded.estimate_amount,
    paid_amount = excluded.paid_amount,
    received_date = excluded.received_date,
    carrier = excluded.carrier,
    batch_id = excluded.batch_id,
    row_hash = excluded.row_hash,
    removed_batch_id = null;

-- name: remove
-- A full export: live rows of the source and its practices that the export lacks.
update raw_claims as t
set removed_batch_id = $batch_id
where
    t.source_id = $source_id
    and t.removed_batch_id is null
    and list_contains($practices, t.practice_id)
    and not exists (select 1 from stage.claims as k where k.claim_id = t.claim_id)
    and not exists (select 1 from refused_keys as k where k.key = t.claim_id);

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
        ) as __bad_patient_id
    from stage.claims as s
)
where __bad_patient_id;

-- name: drop_refused
-- The rows refused by reference leave the stage before later tables check against it.
delete from stage.claims
where claim_id in (select r.claim_id from refused_rows as r);
