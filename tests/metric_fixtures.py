"""Build a tiny real caseboard database from hand-written rows, the way a load does.

Rows go into the raw tables through ``caseboard.publish.publishing`` so the schema
and every view are built exactly as in production (without the precomputed results
store: every read runs the views). Each row is a
dict of column -> value (dates as ISO strings or ``date``); omitted columns
are NULL except the bookkeeping ones, which get the defaults below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl

from caseboard.metrics import MetricParams, query_view
from caseboard.publish import publishing
from caseboard.storage import read_connection

DEFAULTS: dict[str, Any] = {
    "source_id": "S1",
    "practice_id": "P1",
    "batch_id": 1,
    "row_hash": 0,
    "removed_batch_id": None,
}

# One constant statement per table: the frame is registered as `frame`.
INSERTS = {
    "patients": "insert into raw_patients by name select * from frame",
    "team": "insert into raw_team by name select * from frame",
    "treatment_plans": "insert into raw_treatment_plans by name select * from frame",
    "procedures": "insert into raw_procedures by name select * from frame",
    "appointments": "insert into raw_appointments by name select * from frame",
    "payments": "insert into raw_payments by name select * from frame",
    "adjustments": "insert into raw_adjustments by name select * from frame",
    "claims": "insert into raw_claims by name select * from frame",
    "goals": "insert into goals by name select * from frame",
}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    defaults = {} if table == "goals" else DEFAULTS
    full = [{**defaults, **row} for row in rows]
    columns: list[str] = []
    for row in full:
        columns += [name for name in row if name not in columns]
    return pl.DataFrame(
        [{name: _text(row.get(name)) for name in columns} for row in full],
        schema={name: pl.Utf8 for name in columns},
        orient="row",
    )


def build_db(path: Path, **tables: list[dict[str, Any]]) -> Path:
    """Write ``tables`` (table name -> rows) into a new database at ``path``."""
    with publishing(path, store=False) as con:
        for table, rows in tables.items():
            if not rows:
                continue
            con.register("frame", _frame(table, rows))
            con.execute(INSERTS[table])
            con.unregister("frame")
    return path


def rows(db: Path, view: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of one metric view under ``MetricParams(**params)`` on a read-only connection."""
    with read_connection(db) as con:
        return query_view(con, view, MetricParams(**params)).to_dicts()


def one(db: Path, view: str, **params: Any) -> dict[str, Any]:
    """The single row of a one-row metric view."""
    (row,) = rows(db, view, **params)
    return row


def by_month(db: Path, view: str, **params: Any) -> dict[str, dict[str, Any]]:
    """A monthly view's rows keyed by 'YYYY-MM'."""
    return {row["month"].strftime("%Y-%m"): row for row in rows(db, view, **params)}


def d(text: str) -> dt.date:
    """A date from 'YYYY-MM-DD'."""
    return dt.date.fromisoformat(text)
