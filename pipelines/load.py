"""The loader: one ReadResult (standard reader or Open Dental adapter) into DuckDB as one batch.

Everything happens inside one ``storage.write_connection``: the published
database changes all at once or not at all. Inside it:

1. References are checked: an id in a referring column must be a row of the
   referenced table loaded by this export or already live in the database for
   this source. A reference is only checked when the referenced table is
   present in the export or has rows of this source in the database (an
   export without ``team`` does not refuse every ``provider_id``); a skipped
   check is reported as a note. Checks run in table order, so a refused
   patient refuses its procedures too (they would point at nothing).
2. Rows are upserted by ``(source_id, key)`` from Arrow in bulk: new rows are
   inserted, rows whose ``row_hash`` changed (or that were removed and came
   back) are replaced, unchanged rows are not touched.
3. With ``full``, live rows of this source and of the export's practices
   whose key the export lacks get ``removed_batch_id`` (kept, never deleted),
   for the tables present in the export only. Keys of refused rows count as
   present, so a row refused now keeps its last good version.
4. If no row changed and the files are the same as the source's previous
   batch, nothing is published (``unchanged``); otherwise the batch, its
   counts and its rejects are recorded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from caseboard import storage
from pipelines.model import ExportRefused, ReadResult, Reject
from pipelines.schema import TABLES, TableSpec
from pipelines.standard import LOAD_DTYPES

SQL_DIR = Path(__file__).resolve().parent / "sql"



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


def _db_keys(con: duckdb.DuckDBPyConnection, table: str, source_id: str) -> pl.Series:
    query = sql_sections(f"raw_{table}")["keys"]
    return con.sql(query, params={"source_id": source_id}).pl().get_column("key")


def check_references(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pl.DataFrame],
    rows: dict[str, pl.Series | None],
    *,
    source_id: str,
    file_names: dict[str, str],
    notes: list[str],
) -> list[Reject]:
    """Refuse rows whose references match nothing; filters ``frames``/``rows`` in place."""
    rejects: list[Reject] = []
    known: dict[str, pl.Series] = {}
    db_keys: dict[str, pl.Series] = {}

    def keys_of(table: str) -> pl.Series | None:
        if table not in db_keys:
            db_keys[table] = _db_keys(con, table, source_id)
        if table not in frames and db_keys[table].is_empty():
            return None
        return known.get(table, db_keys[table])

    for name, spec in TABLES.items():
        if name not in frames:
            continue
        frame = frames[name]
        bad = pl.repeat(False, frame.height, dtype=pl.Boolean, eager=True)
        reasons: list[tuple[str, pl.Series]] = []
        for column, target in spec.references.items():
            allowed = keys_of(target)
            if allowed is None:
                notes.append(
                    f"{name}.{column} not checked: no {target} table in this export or the database"
                )
                continue
            missing = frame.get_column(column).is_not_null() & ~frame.get_column(column).is_in(
                allowed.implode()
            )
            if missing.any():
                reasons.append((column, missing))
                bad = bad | missing
        if bad.any():
            file_name = file_names.get(name, name)
            numbers = rows.get(name)
            bad_frame = frame.with_columns(
                (numbers if numbers is not None else pl.lit(None, dtype=pl.Int64)).alias("__row"),
                *(flag.alias(f"__bad_{column}") for column, flag in reasons),
            ).filter(bad)
            for row in bad_frame.iter_rows(named=True):
                data = _text_row({c: row[c] for c in spec.column_names})
                for column, _ in reasons:
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
                        value=value,
                        reason=(
                            f"{file_name} {where}column {column}: \"{value}\" matches no {target}"
                            f" row (not loaded by this export, not in the database for source"
                            f" \"{source_id}\")"
                        ),
                        row_data=data,
                    ))
            frame = frame.filter(~bad)
            frames[name] = frame
            if numbers is not None:
                rows[name] = numbers.filter(~bad)
        if name not in db_keys:
            db_keys[name] = _db_keys(con, name, source_id)
        known[name] = pl.concat([db_keys[name], frame.get_column(spec.key)]).unique()
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


def table_counts(result: ReadResult, rejects: list[Reject]) -> dict[str, dict[str, int]]:
    """Per table: rows read, loaded and quarantined (distinct refused rows)."""
    counts: dict[str, dict[str, int]] = {}
    for name in TABLES:
        if name not in result.frames and name not in result.read_counts:
            continue
        refused = {(r.file, r.row) for r in rejects if r.table == name and r.row is not None}
        height = result.frames[name].height if name in result.frames else 0
        read = result.read_counts.get(name, height)
        counts[name] = {"read": read, "loaded": read - len(refused), "quarantined": len(refused)}
    return counts


def load_export(
    result: ReadResult,
    *,
    db: str | Path | None,
    source_id: str,
    practice_id: str | None = None,
    full: bool = False,
    progress=None,
) -> LoadSummary:
    """Load a ReadResult as one batch (see the module docstring); refuse it whole if unusable."""
    started = datetime.now(UTC).replace(tzinfo=None)
    frames = {
        name: conform(TABLES[name], frame, practice_id)
        for name, frame in result.frames.items()
        if name in TABLES
    }
    unplaced = [
        name for name, frame in frames.items() if frame.get_column("practice_id").null_count()
    ]
    if unplaced:
        raise ExportRefused([
            Reject(name, _file_names(result).get(name, name), None, None, "practice_id", None,
                   f"{name}: rows without a practice_id: give the practice with --practice ID")
            for name in unplaced
        ])
    rows: dict[str, pl.Series | None] = {
        name: result.row_numbers.get(name) for name in frames
    }
    practices = sorted(
        set().union(*(f.get_column("practice_id").unique().to_list() for f in frames.values()))
        | ({practice_id} if practice_id is not None else set())
    )
    notes = list(result.notes)
    files = _files_json(result)
    summary = LoadSummary(
        batch_id=None, source=source_id, practices=practices, unchanged=False, tables={},
        notes=notes, fmt=result.fmt, full=full,
    )
    bookkeeping = sql_sections("bookkeeping")
    with storage.write_connection(db) as con:
        con.execute(bookkeeping["settings"])
        batch_id = con.sql(bookkeeping["next_batch"]).fetchall()[0][0]
        previous_rows = con.sql(
            bookkeeping["previous_batch"], params={"source_id": source_id}
        ).fetchall()
        previous = previous_rows[0] if previous_rows else None
        reference_rejects = check_references(
            con, frames, rows, source_id=source_id, file_names=_file_names(result), notes=notes
        )
        rejects = result.rejects + reference_rejects
        summary.rejects = rejects
        summary.tables = table_counts(result, rejects)
        for index, (name, frame) in enumerate(frames.items()):
            if progress is not None:
                progress(f"loading {name}", index, len(frames))
            sections = sql_sections(f"raw_{name}")
            con.register("incoming", frame.with_columns(pl.lit(source_id).alias("source_id")))
            try:
                changed = con.execute(sections["upsert"], {"batch_id": batch_id}).fetchone()
            finally:
                con.unregister("incoming")
            summary.changed_rows += changed[0] if changed else 0
            if full:
                key = TABLES[name].key
                refused_keys = [r.key for r in rejects if r.table == name and r.key is not None]
                refused_series = pl.Series(refused_keys, dtype=pl.String)
                seen = pl.DataFrame(
                    {"key": pl.concat([frame.get_column(key), refused_series])}
                ).unique()
                con.register("seen_keys", seen)
                try:
                    removed = con.execute(
                        sections["remove"],
                        {"batch_id": batch_id, "source_id": source_id, "practices": practices},
                    ).fetchone()
                finally:
                    con.unregister("seen_keys")
                summary.removed_rows += removed[0] if removed else 0
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
        })
        summary.batch_id = batch_id
    return summary
