"""The coordinator's start date, entered on the Coordinator page and kept in the database.

One small table (``coordinator_starts``, sql/schema/004) and one write function, so the
storage can move with the other people-entered settings without touching the views: no
view reads the table; the date reaches ``metric_coordinator_before_after`` as the
``coordinator_start`` parameter.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from caseboard.publish import publishing
from caseboard.settings import SQL_DIR

QUERIES = SQL_DIR / "queries"
ALL_PRACTICES = ""


@dataclass(frozen=True)
class CoordinatorStart:
    """When the coordinator of one scope (a practice, or all practices) started."""

    practice_id: str | None
    member_id: str | None
    start_date: date
    entered_at: datetime


def _sql(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text()


def _key(practice_id: str | None) -> str:
    return ALL_PRACTICES if practice_id is None else practice_id


def read_starts(con: duckdb.DuckDBPyConnection) -> dict[str | None, CoordinatorStart]:
    """Every start date entered, by practice (None = all practices); empty for a database
    written before the table existed."""
    try:
        rows = con.execute(_sql("coordinator_starts")).fetchall()
    except duckdb.CatalogException:
        return {}
    return {
        (None if key == ALL_PRACTICES else key): CoordinatorStart(
            None if key == ALL_PRACTICES else key, member, start, entered)
        for key, member, start, entered in rows
    }


def save_start(db: str | os.PathLike[str], practice_id: str | None, member_id: str | None,
               start_date: date | None) -> None:
    """Set (or with ``start_date`` None, forget) the coordinator's start date of a scope.

    Written like a goal: a copy-on-write publish that keeps the materialized tables
    (no view reads this table, so no stored result changes).
    """
    with publishing(db, goals_only=True) as con:
        if start_date is None:
            con.execute(_sql("coordinator_start_delete"), [_key(practice_id)])
        else:
            con.execute(_sql("coordinator_start_save"), [_key(practice_id), member_id,
                                                         start_date])
