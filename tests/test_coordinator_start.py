"""The coordinator's start date: kept per practice, replaced, forgotten; old files read."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from caseboard.coordinator_start import read_starts, save_start
from caseboard.storage import WriterBusy, read_connection, write_lock
from tests.metric_fixtures import build_db


def test_save_replace_and_forget(tmp_path):
    db = build_db(tmp_path / "s.duckdb", patients=[{"patient_id": "a"}])
    save_start(db, "P1", "T1", date(2025, 5, 15))
    save_start(db, None, None, date(2024, 1, 1))
    save_start(db, "P1", "T2", date(2025, 6, 1))  # replaces P1's date
    with read_connection(db) as con:
        starts = read_starts(con)
    assert {k: (v.member_id, v.start_date) for k, v in starts.items()} == {
        "P1": ("T2", date(2025, 6, 1)), None: (None, date(2024, 1, 1))}
    save_start(db, "P1", None, None)
    with read_connection(db) as con:
        assert list(read_starts(con)) == [None]


def test_a_file_without_the_table_has_no_starts():
    con = duckdb.connect(":memory:")
    assert read_starts(con) == {}


def test_a_busy_writer_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    db = build_db(tmp_path / "b.duckdb", patients=[{"patient_id": "a"}])
    monkeypatch.setenv("CASEBOARD_LOCK_TIMEOUT", "0.2")
    with write_lock(db, timeout_s=1), pytest.raises(WriterBusy):
        save_start(db, "P1", None, date(2025, 5, 15))
    with read_connection(db) as con:
        assert read_starts(con) == {}
