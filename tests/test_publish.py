"""Publishing is one explicit pipeline; storage alone only copies, locks and renames."""

from __future__ import annotations

from pathlib import Path

import duckdb

from caseboard import storage
from caseboard.publish import publishing


def _tables(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.sql("select table_name, table_type from information_schema.tables "
                            "where table_schema = 'main'").fetchall())


def test_a_storage_write_builds_no_schema_view_or_store(tmp_path: Path):
    db = tmp_path / "plain.duckdb"
    with storage.write_connection(db) as con:
        con.execute("create table t (x integer)")
    assert _tables(db) == {"t": "BASE TABLE"}


def test_publishing_builds_schema_and_views_and_store_false_leaves_the_store_empty(
        tmp_path: Path):
    db = tmp_path / "published.duckdb"
    with publishing(db, store=False):
        pass
    tables = _tables(db)
    assert tables["raw_patients"] == "BASE TABLE"
    assert tables["metric_unscheduled"] == "VIEW"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from precomputed_results").fetchall() == [(0,)]


def test_discarded_changes_publish_nothing(tmp_path: Path):
    db = tmp_path / "never.duckdb"
    with publishing(db) as con:
        con.execute("create table t (x integer)")
        raise storage.DiscardChanges
    assert not db.exists()
