"""A load killed with SIGKILL midway leaves the database exactly as it was; the next load works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.ingest import ingest_paths

ROOT = Path(__file__).resolve().parents[2]
LOAD = (
    "import sys; from pipelines.ingest import ingest_paths; "
    "ingest_paths([sys.argv[1]], db=sys.argv[2], practice_id='A')"
)
TABLES_QUERY = "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
COUNTS = (
    "select (select count(*) from raw_patients), (select count(*) from raw_procedures),"
    " (select count(*) from loads)"
)
TABLE_ROWS = "select * from query_table(?) order by all"


def big_export(folder: Path, patients: int, procedures: int) -> None:
    folder.mkdir()
    pl.DataFrame({
        "patient_id": [f"N{i}" for i in range(patients)],
        "first_name": "Pat", "last_name": "Synthetic",
    }).write_csv(folder / "patients.csv")
    pl.DataFrame({
        "procedure_id": [f"X{i}" for i in range(procedures)],
        "patient_id": [f"N{i % patients}" for i in range(procedures)],
        "code": "D1110", "fee": "$1,095.50", "status": "planned", "diagnosed_date": "3/4/2025",
    }).write_csv(folder / "procedures.csv")


def snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [name for (name,) in con.sql(TABLES_QUERY).fetchall()]
        return {name: con.sql(TABLE_ROWS, params=[name]).fetchall() for name in sorted(tables)}
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_midway_leaves_the_database_as_it_was(export, db, tmp_path):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    before_bytes = db.read_bytes()
    before = snapshot(db)
    big = tmp_path / "big"
    big_export(big, patients=20_000, procedures=100_000)

    process = subprocess.Popen([sys.executable, "-c", LOAD, str(big), str(db)], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(db.parent.glob(db.name + ".writing-*")):
        assert process.poll() is None, "the load finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL

    assert db.read_bytes() == before_bytes
    assert snapshot(db) == before
    summary = ingest_paths([big], db=db, practice_id="A")
    # 2 old patients (1001, 1002) + 20,000 new; 2 old procedures + 100,000 new
    assert summary.tables["procedures"] == {"read": 100_000, "loaded": 100_000, "quarantined": 0}
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.sql(COUNTS).fetchall()
    finally:
        con.close()
    assert counts == [(20_002, 100_002, 2)]
    assert not list(db.parent.glob(db.name + ".writing-*"))
