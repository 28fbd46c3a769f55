"""The dashboard's only data access: short read-only connections, cached Polars frames.

The server keeps one read-only connection per published file, keyed by the
file's (inode, mtime, size) stamp, and every query batch reads through its own
cursor. A load never writes that file: it replaces it atomically, so the next
rerun sees a new stamp and opens the new file, while the old connection keeps
reading the old one until it is dropped. Cached results are keyed by plain
parameters plus the stamp, so a new load is picked up on the next rerun.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from caseboard import coordinator_start, followups, metrics, privacy, sync, tempfiles
from caseboard.entries import attach_entries, entries_path
from caseboard.metrics import MetricParams
from caseboard.practices import known_practices
from caseboard.publish import publishing
from caseboard.review import weekly
from caseboard.review.format import count, money
from caseboard.settings import SQL_DIR, load_settings
from caseboard.storage import DatabaseMissing, resolve_db

DASHBOARD_SQL = SQL_DIR / "queries"
OPTIONAL_TABLES = {
    "team": "team.csv",
    "treatment_plans": "treatment_plans.csv",
    "appointments": "appointments.csv",
    "payments": "payments.csv",
    "adjustments": "adjustments.csv",
    "claims": "claims.csv",
}



def db_path() -> Path:
    """The database the dashboard reads: $CASEBOARD_DB (set by `caseboard serve`)."""
    return resolve_db(None).resolve()


def db_stamp(db: Path) -> tuple[int, int, int] | None:
    """(inode, mtime_ns, size) of the published file, or None when nothing is loaded."""
    try:
        info = os.stat(db)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


@st.cache_resource(max_entries=2, show_spinner=False)
def _published(db: str, stamp: tuple, entries_stamp: tuple | None) -> duckdb.DuckDBPyConnection:
    # Attached to a private in-memory instance: duckdb.connect(db) would share the
    # process-wide instance of that path, which may still be the replaced file.
    con = duckdb.connect(":memory:")
    con.execute("attach $path as published (read_only)", {"path": db})
    attach_entries(con, db)
    return con


@contextlib.contextmanager
def read_connection(db: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared read-only connection to the published file ``db`` (with the
    people's entries attached as catalog ``entries``)."""
    stamp = db_stamp(Path(db))
    if stamp is None:
        raise DatabaseMissing(f"no database at {db}: load an export first")
    cursor = _published(db, stamp, db_stamp(entries_path(db))).cursor()
    try:
        cursor.execute("use published")
        yield cursor
    finally:
        cursor.close()


def _sql(name: str) -> str:
    return (DASHBOARD_SQL / f"{name}.sql").read_text()


def query_many(con: duckdb.DuckDBPyConnection,
               requests: list[tuple[str, MetricParams]]) -> list[pl.DataFrame | None]:
    """Rows of several (view, params) requests in one batch (None where a view is missing)."""
    try:
        resolved = [(view, metrics.resolve_params(con, params)) for view, params in requests]
    except (duckdb.CatalogException, duckdb.BinderException):
        return [None] * len(requests)
    return metrics.query_many(con, resolved)


@st.cache_data(max_entries=512, show_spinner=False)
def _views(db: str, stamp: tuple, requests: tuple[tuple[str, MetricParams], ...]) -> list:
    with read_connection(db) as con:
        return query_many(con, list(requests))


def load_views(requests: list[tuple[str, MetricParams]]) -> list[pl.DataFrame | None]:
    """Several (view, params) results from one short read-only connection (cached)."""
    db = db_path()
    return _views(str(db), db_stamp(db), tuple(requests))


def load_view(view: str, params: MetricParams) -> pl.DataFrame | None:
    """One mart view's rows for ``params`` (cached; None when the view is not built)."""
    return load_views([(view, params)])[0]


@dataclass(frozen=True)
class Overview:
    """What is loaded: the default as-of date, the practices and rows per table."""

    as_of: date | None
    practices: pl.DataFrame
    table_counts: dict[str, int]
    practice_labels: dict[str, str] = field(default_factory=dict)
    """practice_id -> how the selector shows it (``DTWN (1)``: the name its source gives it)."""


@st.cache_data(max_entries=32, show_spinner=False)
def _overview(db: str, stamp: tuple, practice_id: str | None) -> Overview:
    with read_connection(db) as con:
        try:
            as_of = metrics.resolve_params(con, MetricParams()).as_of
        except duckdb.Error:
            as_of = None
        practices, counts = query_many(con, [
            ("metric_practices", MetricParams()),
            ("dashboard_table_counts", MetricParams(practice_id=practice_id)),
        ])
        try:
            labels = {p.practice_id: p.label for p in known_practices(con)}
        except duckdb.Error:
            labels = {}
    table_counts = ({} if counts is None else
                    dict(zip(counts["table_name"], counts["row_count"], strict=True)))
    if practices is None:
        practices = pl.DataFrame(schema={"practice_id": pl.Utf8, "source_id": pl.Utf8,
                                         "patient_count": pl.Int64})
    return Overview(as_of, practices, table_counts, labels)


def load_overview(practice_id: str | None = None) -> Overview | None:
    """The overview of the database, or None when there is no database yet."""
    db = db_path()
    stamp = db_stamp(db)
    if stamp is None:
        return None
    return _overview(str(db), stamp, practice_id)


def missing_table_message(overview: Overview, table: str, what: str) -> str | None:
    """'Load claims.csv to see ...' when an optional table has no rows, else None."""
    if overview.table_counts.get(table, 0) > 0:
        return None
    file = OPTIONAL_TABLES.get(table, table)
    return f"No {table.replace('_', ' ')} loaded: load {file} to see {what}."


@st.cache_data(max_entries=16, show_spinner=False)
def _bookkeeping(db: str, stamp: tuple, name: str) -> pl.DataFrame:
    with read_connection(db) as con:
        return con.sql(_sql(name)).pl()


def _load_bookkeeping(name: str) -> pl.DataFrame | None:
    db = db_path()
    stamp = db_stamp(db)
    return None if stamp is None else _bookkeeping(str(db), stamp, name)


def load_loads() -> pl.DataFrame | None:
    """Load history, newest first (None without a database)."""
    return _load_bookkeeping("loads")


def load_sync_status() -> dict:
    """The scheduled loads' last refresh and last failure (caseboard sync's run log)."""
    return sync.sync_status(db_path())


def load_warnings() -> pl.DataFrame | None:
    """The warnings of each source's latest load (None without a database or before they
    were kept)."""
    try:
        return _load_bookkeeping("load_warnings")
    except duckdb.CatalogException:
        return None


def load_rejects() -> pl.DataFrame | None:
    """Quarantined rows with reasons, newest load first (row data left out)."""
    return _load_bookkeeping("rejects")


def mask_patient_values(rejects: pl.DataFrame) -> pl.DataFrame:
    """Hide refused values, and what the reasons quote of them, for de-identified screens."""
    reasons = [privacy.deidentify_text(reason, [value])
               for reason, value in zip(rejects["reason"], rejects["value"], strict=True)]
    return rejects.with_columns(
        pl.when(pl.col("value").is_not_null()).then(pl.lit(privacy.HIDDEN))
        .otherwise(pl.col("value")).alias("value"),
        pl.Series("reason", reasons, dtype=pl.Utf8),
    )


def shown_text(text: str, deidentify: bool) -> str:
    """``text`` as a screen may show it: de-identified (quoted values, emails, phones hidden)."""
    return privacy.deidentify_text(text) if deidentify else text


def deidentify_labels(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Redact emails and phone numbers inside free-text labels (such as referral sources)."""
    return frame.with_columns(
        pl.Series(column, [privacy.deidentify_text(v) for v in frame[column]], dtype=pl.Utf8)
    )


def load_goals() -> pl.DataFrame | None:
    """Goals as entered, newest first."""
    return _load_bookkeeping("goals")


def load_team() -> pl.DataFrame | None:
    """Team members (id, name, role, practice) for the goal editor."""
    try:
        return _load_bookkeeping("team")
    except duckdb.Error:
        return None


def save_goal(metric: str, target: float, period: str, practice_id: str | None,
              member_id: str | None) -> None:
    """Add a goal to the database (copy-on-write; readers see it after publishing)."""
    with publishing(db_path(), goals_only=True) as con:
        con.execute(_sql("goal_insert"), [metric, target, period, practice_id, member_id])
    st.cache_data.clear()


def update_goal(goal_id: int, metric: str, target: float, period: str,
                member_id: str | None) -> None:
    """Change a goal's metric, target, period or team member."""
    with publishing(db_path(), goals_only=True) as con:
        con.execute(_sql("goal_update"), [goal_id, metric, target, period, member_id])
    st.cache_data.clear()


def delete_goal(goal_id: int) -> None:
    """Remove a goal from the database."""
    with publishing(db_path(), goals_only=True) as con:
        con.execute(_sql("goal_delete"), [goal_id])
    st.cache_data.clear()


@st.cache_data(max_entries=8, show_spinner=False)
def _coordinator_starts(db: str, stamp: tuple) -> dict:
    with read_connection(db) as con:
        return coordinator_start.read_starts(con)


def load_coordinator_start(practice_id: str | None):
    """The coordinator's start date entered for a practice (None = all practices), or None."""
    db = db_path()
    stamp = db_stamp(db)
    if stamp is None:
        return None
    return _coordinator_starts(str(db), stamp).get(practice_id)


def save_coordinator_start(practice_id: str | None, member_id: str | None,
                           start_date: date | None) -> None:
    """Keep (or with None, forget) the coordinator's start date of a practice."""
    coordinator_start.save_start(db_path(), practice_id, member_id, start_date)
    st.cache_data.clear()


@st.cache_data(max_entries=64, show_spinner=False)
def _followup_views(db: str, stamp: tuple, entries_stamp: tuple | None,
                    requests: tuple[tuple[str, MetricParams], ...]) -> list:
    with read_connection(db) as con:
        try:
            resolved = [(view, metrics.resolve_params(con, p)) for view, p in requests]
        except (duckdb.CatalogException, duckdb.BinderException):
            return [None] * len(requests)
        return metrics.query_many(con, resolved, stored=False)


def load_followup_views(requests: list[tuple[str, MetricParams]]) -> list[pl.DataFrame | None]:
    """Follow-up measure views (never precomputed: they read the entries), cached until the
    data or the log changes."""
    db = db_path()
    stamp = db_stamp(db)
    if stamp is None:
        return [None] * len(requests)
    return _followup_views(str(db), stamp, db_stamp(entries_path(db)), tuple(requests))


def with_followup_goals(progress: pl.DataFrame | None,
                        params: MetricParams) -> pl.DataFrame | None:
    """Goal progress with the follow-up goals' actuals, read live from the log."""
    (followup,) = load_followup_views([("metric_followup_goal_progress", params)])
    return followups.merge_goal_progress(progress, followup)


@st.cache_data(max_entries=4, show_spinner=False)
def _followup_log(db: str, entries_stamp: tuple | None) -> pl.DataFrame:
    return followups.read_log(db)


def load_followup_log() -> pl.DataFrame:
    """Every recorded contact (cached until the log changes)."""
    db = db_path()
    return _followup_log(str(db), db_stamp(entries_path(db)))


def record_contact(contact: followups.Contact) -> int:
    """Record one contact in the entries file (never waits for a load); 1 if it was new."""
    return followups.record(db_path(), [contact])


def upload_limit_bytes() -> int:
    """The upload size limit from settings, in bytes."""
    return load_settings().upload_limit_mb * 1024 * 1024


def ingest_uploads(
    uploads: list, *, practice_id: str | None, full: bool,
    progress: Callable[..., None] | None = None,
):
    """Save uploaded files to a private temporary folder and load them like `caseboard ingest`."""
    from pipelines.ingest import ingest_paths

    limit = upload_limit_bytes()
    total = sum(upload.size for upload in uploads)
    if total > limit:
        raise ValueError(
            f"the upload is {total / 1e6:.1f} MB; the limit is {limit // (1024 * 1024)} MB "
            "(CASEBOARD_UPLOAD_LIMIT_MB). Load bigger exports with `caseboard ingest PATH`."
        )
    folder = tempfiles.private_dir("upload")
    try:
        paths = []
        for upload in uploads:
            target = folder / Path(upload.name).name
            with open(target, "wb") as handle:
                handle.write(upload.getbuffer())
            paths.append(target)
        summary = ingest_paths(paths, db=db_path(), practice_id=practice_id, full=full,
                               progress=progress)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    st.cache_data.clear()
    return summary


WeekData = weekly.WeekData


@st.cache_data(max_entries=64, show_spinner=False)
def _week(db: str, stamp: tuple, params: MetricParams, monday: date, tiles_only: bool,
          history: bool) -> WeekData:
    with read_connection(db) as con:
        resolved = metrics.resolve_params(con, params)
        return weekly.read_week(con, resolved, monday, tiles_only, history)


def load_week(params: MetricParams, monday: date, tiles_only: bool = False,
              history: bool = True) -> WeekData:
    """The weekly review of the week starting ``monday`` (cached ``weekly.read_week``)."""
    db = db_path()
    return _week(str(db), db_stamp(db), params, monday, tiles_only, history)


@st.cache_data(max_entries=16, show_spinner=False)
def _week_tiles(db: str, stamp: tuple, params_list: tuple[MetricParams, ...],
                monday: date) -> list[dict[str, float | None]]:
    with read_connection(db) as con:
        return weekly.week_tiles(con, [metrics.resolve_params(con, p) for p in params_list], monday)


def load_week_tiles(params_list: list[MetricParams], monday: date) -> list[dict[str, float | None]]:
    """Every tile's value of the week for several parameter sets (e.g. each practice), read in
    one batch (cached)."""
    db = db_path()
    return _week_tiles(str(db), db_stamp(db), tuple(params_list), monday)


def report_pdf(params: MetricParams, monday: date, with_names: bool) -> Callable[[], bytes]:
    """A no-argument builder of the weekly report PDF for the page's filters (run on click)."""
    db = db_path()
    report_params = metrics.default_params(as_of=params.as_of, window_days=params.window_days,
                                           all_codes=params.all_codes)

    def build() -> bytes:
        from caseboard.report import build_report_pdf

        return build_report_pdf(db, week=monday, practice_id=params.practice_id,
                                with_names=with_names, params=report_params)

    return build


def summary_frame(summary) -> pl.DataFrame:
    """One row per table of a load summary: read, loaded, quarantined."""
    return pl.DataFrame(
        [{"table": table, **counts} for table, counts in summary.tables.items()]
    )


def money_text(value: float | None) -> str:
    """Dollars for a sentence (e.g. data-health amounts)."""
    return money(value)


@st.cache_data(max_entries=16, show_spinner=False)
def _reconciliation(db: str, stamp: tuple, date_from: date, date_to: date,
                    practice_id: str | None) -> pl.DataFrame:
    from pipelines.opendental_reconcile import reconcile

    with read_connection(db) as con:
        rows = reconcile(con, date_from, date_to, practice_id)
    def shown(value, metric: str) -> str:
        return count(value) if metric == "new_patients" else money(value, cents=True)

    return pl.DataFrame(
        [{"Figure": r["label"], "caseboard": shown(r["caseboard"], r["metric"]),
          "Open Dental report": shown(r["opendental"], r["metric"]),
          "Difference": shown(r["difference"], r["metric"]),
          "Why": " ".join(e["text"] for e in r["explanations"]) or "They agree.",
          "Open Dental report used": r["opendental_report"]} for r in rows]
    )


def load_reconciliation(date_from: date, date_to: date,
                        practice_id: str | None) -> pl.DataFrame | None:
    """caseboard beside Open Dental's own report totals, when an Open Dental export is loaded."""
    loads = load_loads()
    if loads is None or "opendental" not in loads["format"].to_list():
        return None
    db = db_path()
    return _reconciliation(str(db), db_stamp(db), date_from, date_to, practice_id)


def load_by_practice(view: str, params: MetricParams,
                     practices: list[str]) -> dict[str, pl.DataFrame]:
    """One view's rows for each practice (for the side-by-side comparison)."""
    frames = load_views([(view, params.but(practice_id=p)) for p in practices])
    return {p: f for p, f in zip(practices, frames, strict=True) if f is not None}
