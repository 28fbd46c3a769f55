"""The SQL layers of a database: the schema's tables, then the views in layer order.

``sql/schema/*.sql`` creates the raw, bookkeeping and goal tables;
``sql/staging``, ``sql/intermediate`` and ``sql/marts`` hold the views, built in
that order by ``build_views`` (a few intermediates are materialized tables).
``caseboard.publish`` calls both on every write; nothing here opens a database.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from caseboard.settings import RANGE_MONTHS, RANGE_WEEKS, SQL_DIR, load_settings
from caseboard.storage import StorageError

VIEW_LAYERS = ("staging", "intermediate", "marts")


def sql_files(folder: str) -> list[Path]:
    """The ``.sql`` files of one folder under ``sql/``, in name order."""
    return sorted((SQL_DIR / folder).glob("*.sql"))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw, bookkeeping and goal tables that do not exist yet (sql/schema/*.sql)."""
    for path in sql_files("schema"):
        con.execute(path.read_text())


def _materializes(path: Path) -> bool:
    return f"create or replace table {path.stem} as" in path.read_text().lower()


def _table_type(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    found = con.sql(
        "select table_type from information_schema.tables where table_name = ?", params=[name]
    ).fetchall()
    return found[0][0] if found else None


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return _table_type(con, name) == "BASE TABLE"


def _drop_materialized(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Drop a materialized table (or the view it once was) so it is rebuilt after its inputs."""
    found = _table_type(con, path.stem)
    if found:
        con.execute(f"drop {'view' if found == 'VIEW' else 'table'} {path.stem}")


def write_param_defaults(con: duckdb.DuckDBPyConnection) -> None:
    """Write the settings' metric defaults into the one-row table ``param_defaults``."""
    settings = load_settings()
    con.execute((SQL_DIR / "queries" / "param_defaults.sql").read_text(), {
        "window_days": settings.window_days,
        "active_months": settings.active_months,
        "ready_active": settings.ready_active_patients,
        "ready_new": settings.ready_new_patients,
        "range_months": RANGE_MONTHS,
        "range_weeks": RANGE_WEEKS,
        "coordinator_cost": settings.coordinator_cost,
        "variable_cost": settings.variable_cost_share,
    })


def build_views(con: duckdb.DuckDBPyConnection, rematerialize: bool = True) -> None:
    """(Re)create every view of sql/staging, sql/intermediate and sql/marts, in layer order.

    A file that says ``create or replace table`` instead is materialized: its
    result is recomputed from the raw tables on every write, for speed; only
    parameter-free queries may be materialized (tests/sql/test_materialized.py
    proves each such table equals its query run live). Within a layer a view
    may depend on another of the same layer; views are retried until every one
    binds, and the last binder error is raised if a pass makes no progress.
    ``rematerialize=False`` keeps the materialized tables that exist (for a write that
    changed none of the raw tables they are computed from). The metric defaults are
    written first (``write_param_defaults``): ``int_params`` falls back to them.
    """
    write_param_defaults(con)
    for layer in VIEW_LAYERS:
        pending = sql_files(layer)
        if not rematerialize:
            pending = [p for p in pending if not (_materializes(p) and _exists(con, p.stem))]
        for path in filter(_materializes, pending):
            _drop_materialized(con, path)
        while pending:
            failed: list[Path] = []
            last_error: Exception | None = None
            for path in pending:
                try:
                    con.execute(path.read_text())
                except duckdb.CatalogException as error:
                    failed.append(path)
                    last_error = error
                except duckdb.BinderException as error:
                    failed.append(path)
                    last_error = error
            if len(failed) == len(pending):
                raise StorageError(f"cannot build view {failed[0].name}: {last_error}")
            pending = failed
