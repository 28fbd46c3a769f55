"""The loader: one ReadResult (standard reader or Open Dental adapter) into DuckDB as one batch.

The rows come from a staging database (pipelines/stage.py): the standard
reader streams its typed batches there (``ReadResult.stage``), and a reader's
in-memory ``frames`` (the Open Dental adapter) are put there first, so both
take the same SQL path and no large export is held in Python memory.

Everything happens inside one ``publish.publishing`` (write rows -> rebuild views ->
precompute -> atomic publish): the published database changes all at once or not at
all. Inside it (the stage attached):

1. References are checked: an id in a referring column must be a row of the
   referenced table loaded by this export or already live in the database for
   this source. A reference is only checked when the referenced table is
   present in the export or has rows of this source in the database (an
   export without ``team`` does not refuse every ``provider_id``); a skipped
   check is reported as a note. Checks run in table order, so a refused
   patient refuses its procedures too (they would point at nothing).
2. Rows are upserted by ``(source_id, key)`` in SQL, in slices of
   ``UPSERT_SLICE_ROWS`` staged rows each committed in the private working
   copy (readers still see the whole load or none of it): new rows are
   inserted, rows whose ``row_hash`` changed (or that were removed and came
   back) are replaced, unchanged rows are not touched.
3. With ``full``, live rows of this source and of the export's practices
   whose key the export lacks get ``removed_batch_id`` (kept, never deleted),
   for the tables present in the export only. Keys of refused rows count as
   present, so a row refused now keeps its last good version.
4. If no row changed and the files are the same as the source's previous
   batch, the data is not touched (``unchanged``): only a history row with
   unchanged = true is added, so the office sees the export was read; otherwise
   the batch, its counts and its rejects are recorded.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from caseboard import publish, storage
from pipelines.model import ExportRefused, ReadResult, Reject, clipped, quoted
from pipelines.schema import LOAD_DTYPES, TABLES, TableSpec
from pipelines.stage import ROW, Stage, staging

SQL_DIR = Path(__file__).resolve().parent / "sql"
UPSERT_SLICE_ROWS = 1_000_000
"""Staged rows upserted per commit: a commit merges the key index of one slice at a time."""



def sql_sections(name: str) -> dict[str, str]:
    """The ``-- name: <section>`` statements of ``pipelines/sql/<name>.sql``."""
    text = (SQL_DIR / f"{name}.sql").read_text()
    sections: dict[str, str] = {}
    for chunk in re.split(r"^-- name: ", text, flags=re.MULTILINE)[1:]:
        title, _, body = chunk.partition("\n")
        sections[title.strip()] = body
    return sections


@dataclass
class LoadSummary:
    """What one load did, as the CLI and the dashboard report it."""

    batch_id: int | None
    source: str
    practices: list[str]
    unchanged: bool
    tables: dict[str, dict[str, int]]
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fmt: str = "standard"
    full: bool = False
    changed_rows: int = 0
    removed_rows: int = 0

    def to_json(self) -> dict:
        """The ``caseboard ingest --json`` object."""
        return {
            "batch_id": self.batch_id,
            "source": self.source,
            "practices": self.practices,
            "unchanged": self.unchanged,
            "tables": self.tables,
            "rejects": [
                {
                    "table": r.table,
                    "file": r.file,
                    "row": r.row,
                    "key": r.key,
                    "column": r.column,
                    "reason": r.reason,
                }
                for r in self.rejects
            ],
        }


def conform(spec: TableSpec, frame: pl.DataFrame, practice_id: str | None) -> pl.DataFrame:
    """The frame with exactly the spec's columns, in order, cast to the loading types."""
    columns = []
    for column in spec.columns:
        expr = pl.col(column.name) if column.name in frame.columns else pl.lit(None)
        columns.append(expr.cast(LOAD_DTYPES[column.kind]).alias(column.name))
    conformed = frame.select(columns)
    if practice_id is not None:
        conformed = conformed.with_columns(pl.col("practice_id").fill_null(pl.lit(practice_id)))
    return conformed


def _file_names(result: ReadResult) -> dict[str, str]:
    names: dict[str, str] = {}
    for info in result.files:
        names.setdefault(info.table, info.name)
    return names


def _text_row(row: dict) -> dict[str, str | None]:
    return {name: None if value is None else str(value) for name, value in row.items()}


def _has_keys(con: duckdb.DuckDBPyConnection, table: str, source_id: str) -> bool:
    query = sql_sections(f"raw_{table}")["has_keys"]
    return bool(con.sql(query, params={"source_id": source_id}).fetchall()[0][0])


def negative_fee_notes(con: duckdb.DuckDBPyConnection, file_name: str) -> list[str]:
    """A warning for staged completed procedures with a negative fee (loaded, not refused)."""
    count, rows = con.sql(sql_sections("raw_procedures")["negative_completed_fees"]).fetchall()[0]
    if not count:
        return []
    more = f" and {count - len(rows):,} more" if count > len(rows) else ""
    return [
        f"{file_name}: {count:,} completed procedure(s) with a negative fee (row "
        f"{', '.join(str(r) for r in rows)}{more}): they lower production and show as "
        "negative accepted treatment; a refund or write-off belongs in adjustments."
    ]


def check_references(
    con: duckdb.DuckDBPyConnection,
    present: set[str],
    *,
    source_id: str,
    file_names: dict[str, str],
    notes: list[str],
) -> list[Reject]:
    """Refuse staged rows whose references match nothing, in SQL; they leave the stage."""
    rejects: list[Reject] = []
    for name, spec in TABLES.items():
        if name not in present or not spec.references:
            continue
        checks: dict[str, bool] = {}
        for column, target in spec.references.items():
            checks[column] = target in present or _has_keys(con, target, source_id)
            if not checks[column]:
                notes.append(
                    f"{name}.{column} not checked: no {target} table in this export or the database"
                )
        if not any(checks.values()):
            continue
        sections = sql_sections(f"raw_{name}")
        con.execute(sections["refused_refs"], {
            "source_id": source_id, **{f"check_{c}": flag for c, flag in checks.items()}
        })
        bad_frame = con.sql(sql_sections("bookkeeping")["refused_rows"]).pl()
        if bad_frame.is_empty():
            continue
        file_name = file_names.get(name, name)
        for row in bad_frame.iter_rows(named=True):
            data = _text_row({c: row[c] for c in spec.column_names})
            for column in spec.references:
                if not row[f"__bad_{column}"]:
                    continue
                target = spec.references[column]
                value = data[column]
                where = f"row {row['__row']}, " if row["__row"] is not None else ""
                rejects.append(Reject(
                    table=name,
                    file=file_name,
                    row=row["__row"],
                    key=data[spec.key],
                    column=column,
                    value=clipped(value),
                    reason=(
                        f"{file_name} {where}column {column}: {quoted(value)} matches no {target}"
                        f" row (not loaded by this export, not in the database for source"
                        f" \"{source_id}\")"
                    ),
                    row_data=data,
                ))
        con.execute(sections["drop_refused"])
    return rejects


def _files_json(result: ReadResult) -> list[dict]:
    return sorted(
        (
            {"table": f.table, "name": f.name, "sha256": f.sha256, "size": f.size}
            for f in result.files
        ),
        key=lambda f: (f["table"], f["name"]),
    )


def _reject_frame(rejects: list[Reject]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "table_name": [r.table for r in rejects],
            "file_name": [r.file for r in rejects],
            "row_number": [r.row for r in rejects],
            "row_key": [r.key for r in rejects],
            "column_name": [r.column for r in rejects],
            "value": [r.value for r in rejects],
            "reason": [r.reason for r in rejects],
            "row_data": [None if r.row_data is None else json.dumps(r.row_data) for r in rejects],
        },
        schema={
            "table_name": pl.String, "file_name": pl.String, "row_number": pl.Int32,
            "row_key": pl.String, "column_name": pl.String, "value": pl.String,
            "reason": pl.String, "row_data": pl.String,
        },
    )


def table_counts(
    result: ReadResult, rejects: list[Reject], stage: Stage | None = None
) -> dict[str, dict[str, int]]:
    """Per table: rows read, loaded and quarantined (distinct refused rows)."""
    counts: dict[str, dict[str, int]] = {}
    for name in TABLES:
        staged = stage is not None and name in stage.present
        if name not in result.frames and name not in result.read_counts and not staged:
            continue
        refused = {(r.file, r.row) for r in rejects if r.table == name and r.row is not None}
        height = result.frames[name].height if name in result.frames else 0
        read = result.read_counts.get(name, height)
        counts[name] = {"read": read, "loaded": read - len(refused), "quarantined": len(refused)}
    return counts


def _stage_frames(
    stage: Stage, result: ReadResult, practice_id: str | None
) -> None:
    """Put a reader's in-memory frames (e.g. the Open Dental adapter's) into the stage."""
    file_names = _file_names(result)
    for name, frame in result.frames.items():
        if name not in TABLES:
            continue
        conformed = conform(TABLES[name], frame, practice_id)
        if conformed.get_column("practice_id").null_count():
            raise ExportRefused([Reject(
                name, file_names.get(name, name), None, None, "practice_id", None,
                f"{name}: rows without a practice_id: give the practice with --practice ID",
            )])
        numbers = result.row_numbers.get(name)
        stage.append(name, conformed.with_columns(
            numbers.cast(pl.Int64).alias(ROW) if numbers is not None
            else pl.lit(None, dtype=pl.Int64).alias(ROW)
        ))


def load_export(
    result: ReadResult,
    *,
    db: str | Path | None,
    source_id: str,
    practice_id: str | None = None,
    full: bool = False,
    progress=None,
    replace_source: bool = False,
    fingerprint: str | None = None,
) -> LoadSummary:
    """Load a ReadResult as one batch (see the module docstring); refuse it whole if unusable.

    An export of whole tables (``result.complete``) loads as ``full``. The load
    is refused when it clearly holds another practice's data than the source it
    would overwrite (another live database, or mostly other patients under the
    same ids), unless ``replace_source``.
    """
    full = full or result.complete
    with contextlib.ExitStack() as stack:
        stage = result.stage
        if stage is None:
            stage = stack.enter_context(staging())
            _stage_frames(stage, result, practice_id)
        stage.close()
        return _load_staged(
            result, stage, db=db, source_id=source_id, practice_id=practice_id, full=full,
            progress=progress, replace_source=replace_source, fingerprint=fingerprint,
        )


def _load_staged(
    result: ReadResult,
    stage: Stage,
    *,
    db: str | Path | None,
    source_id: str,
    practice_id: str | None,
    full: bool,
    progress,
    replace_source: bool = False,
    fingerprint: str | None = None,
) -> LoadSummary:
    started = datetime.now(UTC).replace(tzinfo=None)
    present = [name for name in TABLES if name in stage.present]
    practices = sorted(
        stage.practices | ({practice_id} if practice_id is not None else set())
    )
    notes = list(result.notes)
    files = _files_json(result)
    summary = LoadSummary(
        batch_id=None, source=source_id, practices=practices, unchanged=False, tables={},
        notes=notes, fmt=result.fmt, full=full,
    )
    bookkeeping = sql_sections("bookkeeping")
    with publish.publishing(db) as con:
        con.execute(bookkeeping["settings"])
        con.execute(bookkeeping["attach_stage"], {"path": str(stage.path)})
        batch_id = con.sql(bookkeeping["next_batch"]).fetchall()[0][0]
        previous_rows = con.sql(
            bookkeeping["previous_batch"], params={"source_id": source_id}
        ).fetchall()
        previous = previous_rows[0] if previous_rows else None
        if not replace_source:
            _check_same_source(con, result, source_id)
        reference_rejects = check_references(
            con, set(present), source_id=source_id, file_names=_file_names(result),
            notes=notes,
        )
        rejects = result.rejects + reference_rejects
        if "procedures" in present:
            notes += negative_fee_notes(con, _file_names(result).get("procedures", "procedures"))
        summary.rejects = rejects
        summary.tables = table_counts(result, rejects, stage)
        for index, name in enumerate(present):
            if progress is not None:
                progress(f"loading {name}", index, len(present))
            sections = sql_sections(f"raw_{name}")
            rowid_end = con.sql(sections["stage_rowids"]).fetchall()[0][0]
            for row_from in range(0, max(rowid_end, 1), UPSERT_SLICE_ROWS):
                changed = con.execute(sections["upsert"], {
                    "batch_id": batch_id, "source_id": source_id,
                    "row_from": row_from, "row_to": row_from + UPSERT_SLICE_ROWS,
                }).fetchone()
                summary.changed_rows += changed[0] if changed else 0
            if full:
                refused_keys = pl.DataFrame(
                    {"key": [r.key for r in rejects if r.table == name and r.key is not None]},
                    schema={"key": pl.String},
                )
                con.register("refused_keys", refused_keys)
                try:
                    removed = con.execute(
                        sections["remove"],
                        {"batch_id": batch_id, "source_id": source_id, "practices": practices},
                    ).fetchone()
                finally:
                    con.unregister("refused_keys")
                summary.removed_rows += removed[0] if removed else 0
        con.execute(bookkeeping["detach_stage"])
        if result.extra_tables:
            from pipelines.opendental import store_opendental_raw

            store_opendental_raw(con, result, batch_id=batch_id, source_id=source_id)
        same_files = previous is not None and json.loads(previous[1]) == files
        if same_files and summary.changed_rows == 0 and summary.removed_rows == 0:
            summary.unchanged = True
            summary.batch_id = previous[0]
            raise storage.DiscardChanges
        if rejects:
            con.register("incoming_rejects", _reject_frame(rejects))
            try:
                con.execute(bookkeeping["insert_rejects"], {"batch_id": batch_id})
            finally:
                con.unregister("incoming_rejects")
        con.execute(bookkeeping["insert_load"], {
            "batch_id": batch_id,
            "source_id": source_id,
            "format": result.fmt,
            "practices": practices,
            "full_export": full,
            "started_at": started,
            "finished_at": datetime.now(UTC).replace(tzinfo=None),
            "files": json.dumps(files),
            "counts": json.dumps(summary.tables),
            "unchanged": False,
        })
        _save_source_facts(con, result, source_id, batch_id, notes, fingerprint)
        summary.batch_id = batch_id
    if summary.unchanged:
        record_unchanged(db, summary, result.fmt, started, files)
    return summary


FOREIGN_MIN_PATIENTS = 10
"""Patients shared by key below which a load is never judged to be another practice's."""


def _check_same_source(con: duckdb.DuckDBPyConnection, result: ReadResult, source_id: str) -> None:
    """Refuse a load whose rows clearly belong to another source than ``source_id``."""
    bookkeeping = sql_sections("bookkeeping")
    hint = (f"load it as another source with --source NAME, or replace source "
            f"\"{source_id}\" with --replace-source")
    known = con.sql(bookkeeping["source_origin"], params={"source_id": source_id}).fetchall()
    if known and known[0][0] and result.origin and known[0][0] != result.origin:
        raise ExportRefused([Reject("", "", None, None, None, None, (
            f"source \"{source_id}\" was loaded from {known[0][0]}, this is {result.origin}: "
            + hint
        ))])
    if result.fmt != "opendental":  # Open Dental numbers patients from 1 in every database
        return
    compared, differing = con.sql(
        bookkeeping["foreign_patients"], params={"source_id": source_id}
    ).fetchall()[0]
    if compared >= FOREIGN_MIN_PATIENTS and differing * 2 > compared:
        raise ExportRefused([Reject("", "", None, None, None, None, (
            f"this looks like another practice's data: {differing} of the {compared} patients "
            f"it shares by id with source \"{source_id}\" have another name or birth date; "
            + hint
        ))])


def _save_source_facts(
    con: duckdb.DuckDBPyConnection, result: ReadResult, source_id: str, batch_id: int,
    notes: list[str], fingerprint: str | None,
) -> None:
    """Record the source's origin and fingerprint, its practice names and the load's notes."""
    bookkeeping = sql_sections("bookkeeping")
    known = con.sql(bookkeeping["source_origin"], params={"source_id": source_id}).fetchall()
    origin = result.origin or (known[0][0] if known else None)
    con.execute(bookkeeping["save_origin"], {
        "source_id": source_id, "origin": origin, "fingerprint": fingerprint,
        "checksums": json.dumps(result.checksums) if result.checksums else None,
        "batch_id": batch_id,
    })
    if result.practice_names:
        names = pl.DataFrame(
            list(result.practice_names.items()), orient="row",
            schema={"practice_id": pl.String, "name": pl.String},
        )
        con.execute(bookkeeping["delete_practice_names"], {"source_id": source_id})
        con.register("incoming_names", names)
        try:
            con.execute(bookkeeping["save_practice_names"], {"source_id": source_id})
        finally:
            con.unregister("incoming_names")
    if notes:
        con.register("incoming_notes", pl.DataFrame({"note": notes}, schema={"note": pl.String}))
        try:
            con.execute(bookkeeping["save_notes"], {"batch_id": batch_id})
        finally:
            con.unregister("incoming_notes")


def record_unchanged(db: str | Path | None, summary: LoadSummary, fmt: str,
                      started: datetime, files: list) -> None:
    """Put a load that changed nothing in the load history (unchanged = true), so the office
    sees the export was read; the data and its batch stay as they were."""
    bookkeeping = sql_sections("bookkeeping")
    # A history row only: no table a view reads changes (int_load_day skips unchanged
    # loads), so the materialized tables and stored results are kept as they are.
    with publish.publishing(db, goals_only=True) as con:
        con.execute(bookkeeping["insert_load"], {
            "batch_id": con.sql(bookkeeping["next_batch"]).fetchall()[0][0],
            "source_id": summary.source,
            "format": fmt,
            "practices": summary.practices,
            "full_export": summary.full,
            "started_at": started,
            "finished_at": datetime.now(UTC).replace(tzinfo=None),
            "files": json.dumps(files),
            "counts": json.dumps(summary.tables),
            "unchanged": True,
        })
