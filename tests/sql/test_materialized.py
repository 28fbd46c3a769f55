"""Materialized intermediate tables equal their queries run live, after loads and reloads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from caseboard.storage import read_connection, sql_files, write_connection

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
    with write_connection(sample_db) as con:
        con.execute("delete from raw_procedures where procedure_id in "
                    "(select procedure_id from raw_procedures order by procedure_id limit 50)")
    with read_connection(sample_db) as con:
        con.execute(live_view_sql(path))
        stem = path.stem
        table_rows = con.sql(f"select count(*) from {stem}").fetchall()[0][0]
        live_rows = con.sql(f"select count(*) from {stem}_live").fetchall()[0][0]
        only_table = con.sql(
            f"select count(*) from (select * from {stem} except all select * from {stem}_live)"
        ).fetchall()[0][0]
        only_live = con.sql(
            f"select count(*) from (select * from {stem}_live except all select * from {stem})"
        ).fetchall()[0][0]
    assert table_rows == live_rows
    assert (only_table, only_live) == (0, 0)
