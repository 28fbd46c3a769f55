"""Materialized intermediate tables equal their queries run live, after loads and reloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseboard.publish import publishing
from caseboard.storage import read_connection
from caseboard.views import sql_files

MATERIALIZED = [
    path for path in sql_files("intermediate")
    if f"create or replace table {path.stem} as" in path.read_text().lower()
]


def live_view_sql(path: Path) -> str:
    """The file's query as a temporary view named <stem>_live (test-only rewrite)."""
    return re.sub(
        rf"create or replace table {path.stem} as",
        f"create or replace temp view {path.stem}_live as",
        path.read_text(),
        flags=re.IGNORECASE,
    )


def test_the_speed_critical_intermediates_are_materialized():
    assert {path.stem for path in MATERIALIZED} >= {
        "int_default_as_of", "int_procedures", "int_patients",
    }


def test_no_materialized_query_reads_a_parameter():
    for path in MATERIALIZED:
        text = path.read_text()
        assert "getvariable" not in text and "int_params" not in text, path.name


@pytest.mark.parametrize("path", MATERIALIZED, ids=lambda p: p.stem)
def test_materialized_table_equals_its_query_live(sample_db: Path, path: Path):
    # A second write (a goal edit) rebuilds every table from the raw rows; the
    # tables must then equal a live run of their own query, row for row.
    with publishing(sample_db) as con:
        con.execute("delete from raw_procedures where procedure_id in "
                    "(select procedure_id from raw_procedures order by procedure_id limit 50)")
    # Identifiers below are file stems of sql/intermediate (trusted), never user values.
    stem = path.stem
    counts = {
        "table": f"select count(*) from {stem}",  # noqa: S608
        "live": f"select count(*) from {stem}_live",  # noqa: S608
        "only_table": f"select count(*) from (select * from {stem} "  # noqa: S608
        f"except all select * from {stem}_live)",
        "only_live": f"select count(*) from (select * from {stem}_live "  # noqa: S608
        f"except all select * from {stem})",
    }
    with read_connection(sample_db) as con:
        con.execute(live_view_sql(path))
        found = {name: con.sql(query).fetchall()[0][0] for name, query in counts.items()}
    table_rows, live_rows = found["table"], found["live"]
    only_table, only_live = found["only_table"], found["only_live"]
    assert table_rows == live_rows
    assert (only_table, only_live) == (0, 0)
