"""People's entries never share the load's write path: no load (normal, --full, killed)
loses or changes an entry, and recording a contact during a long load neither waits for
it nor is overwritten when it publishes. Real DuckDB files, real subprocess loads."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from caseboard import followups
from caseboard.entries import entries_path, write_entries
from caseboard.followups import Contact
from caseboard.storage import DiscardChanges, read_connection
from pipelines.ingest import ingest_paths
from tests.pipelines.conftest import Export
from tests.pipelines.test_sigkill import LOAD, big_export

ROOT = Path(__file__).resolve().parents[2]
PATIENTS = "patient_id,first_name,last_name,status\n1001,Ann,Lee,active\n1002,Bob,Ray,\n"
PROCEDURES = (
    "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"
    "P1,1001,D2740,1200.00,planned,2025-02-03,\n"
    "P2,1002,D1110,95.50,planned,2025-03-01,\n"
)
CONTACTS = [
    Contact("A", "A", "1001", date(2025, 2, 5), "left_message", None, date(2025, 2, 12),
            "asked to call back after lunch", "tc1"),
    Contact("A", "A", "1002", date(2025, 3, 2), "declined", "cost", None, None, "tc1"),
]


def log_rows(db: Path) -> list[tuple]:
    """Every entry as it is stored (id, patient, contact fields, recorded_at)."""
    return followups.read_log(db).rows()


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Export]:
    """Two patients loaded as practice (and source) A, two contacts recorded."""
    export = Export(tmp_path / "export").minimal(PATIENTS, PROCEDURES)
    db = tmp_path / "caseboard.duckdb"
    ingest_paths([export.folder], db=db, practice_id="A")
    assert followups.record(db, CONTACTS) == 2
    return db, export


def test_entries_live_beside_the_database_and_loads_never_touch_them(loaded):
    db, export = loaded
    before = log_rows(db)
    entries_bytes = entries_path(db).read_bytes()
    assert len(before) == 2
    ingest_paths([export.folder], db=db, practice_id="A")
    assert log_rows(db) == before
    # --full with patient 1002 (and their procedure) gone from the export
    export.minimal(PATIENTS.replace("1002,Bob,Ray,\n", ""),
                   PROCEDURES.replace("P2,1002,D1110,95.50,planned,2025-03-01,\n", ""))
    ingest_paths([export.folder], db=db, practice_id="A", full=True)
    assert log_rows(db) == before
    assert entries_path(db).read_bytes() == entries_bytes  # not even rewritten
    with read_connection(db) as con:
        live = con.sql("select patient_id from stg_patients order by 1").fetchall()
    assert live == [("1001",)]


def test_a_load_killed_midway_leaves_every_entry(loaded, tmp_path):
    db, _ = loaded
    before = log_rows(db)
    big = tmp_path / "big"
    big_export(big, patients=20_000, procedures=100_000)
    process = subprocess.Popen([sys.executable, "-c", LOAD, str(big), str(db)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(db.parent.glob(db.name + ".writing-*")):
        assert process.poll() is None, "the load finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert log_rows(db) == before
    # the next entry write works (the killed load held no entries lock)
    assert followups.record(db, [dataclasses.replace(CONTACTS[0], note="second call")]) == 1
    assert [row for row in log_rows(db) if row[0] in (1, 2)] == before


def test_recording_during_a_long_load_is_quick_and_survives_its_publish(loaded, tmp_path,
                                                                        monkeypatch):
    """The page's own save (dashboard.data.record_contact) while a load runs elsewhere."""
    from dashboard import data

    db, _ = loaded
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    big = tmp_path / "big"
    big_export(big, patients=20_000, procedures=100_000)
    process = subprocess.Popen([sys.executable, "-c", LOAD, str(big), str(db)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not list(db.parent.glob(db.name + ".writing-*")):
            assert process.poll() is None, "the load finished before a contact could be recorded"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        during = Contact("A", "A", "1001", date(2025, 2, 12), "scheduled", None, None,
                         "booked for March", "tc1")
        started = time.monotonic()
        assert data.record_contact(during) == 1
        took = time.monotonic() - started
        print(f"recorded a contact in {took:.3f} s while the load ran")
        assert process.poll() is None, "the load ended before the contact was recorded"
    finally:
        assert process.wait(timeout=600) == 0
    assert took < 1.0, f"recording a contact took {took:.2f} s during a load"
    with read_connection(db) as con:  # the load published ...
        (patients,) = con.execute("select count(*) from raw_patients").fetchone()
    assert patients == 2 + 20_000
    outcomes = [row[5] for row in log_rows(db)]  # ... and the contact is still there
    assert outcomes == ["left_message", "scheduled", "declined"]  # by contact date


def test_a_failed_entry_write_changes_nothing(loaded):
    db, _ = loaded
    before = entries_path(db).read_bytes()
    with pytest.raises(RuntimeError), write_entries(db) as con:
        con.execute("delete from followups")
        raise RuntimeError("boom")
    with write_entries(db) as con:
        con.execute("delete from followups")
        raise DiscardChanges
    assert entries_path(db).read_bytes() == before
    assert len(log_rows(db)) == 2


def test_the_entries_file_is_a_plain_duckdb_file_with_the_log(loaded):
    db, _ = loaded
    con = duckdb.connect(str(entries_path(db)), read_only=True)
    try:
        assert con.execute("select count(*) from followups").fetchone() == (2,)
    finally:
        con.close()
