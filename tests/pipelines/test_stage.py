"""The staging database: rows upserted in slices, folders of killed loads removed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipelines import load
from pipelines.ingest import ingest_paths
from pipelines.stage import PREFIX, staging

PROCEDURES = "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n" + "".join(
    f"P{i},1001,D1110,{i}0.00,planned,2025-03-0{i},\n" for i in range(1, 6)
)


def test_upsert_in_slices_loads_every_staged_row(export, db, query, monkeypatch):
    monkeypatch.setattr(load, "UPSERT_SLICE_ROWS", 2)
    export.minimal(procedures=PROCEDURES)
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    # 2 patients + 5 procedures written; the 5 procedures take slices [0,2) [2,4) [4,6)
    assert summary.changed_rows == 2 + 5
    assert query(db, "select procedure_id, fee from raw_procedures order by procedure_id") == [
        (f"P{i}", pytest.approx(i * 10)) for i in range(1, 6)
    ]
    # the same export with one fee changed rewrites exactly that row
    export.write("procedures.csv", PROCEDURES.replace("P3,1001,D1110,30.00", "P3,1001,D1110,31.00"))
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    assert summary.changed_rows == 1
    assert query(db, "select fee from raw_procedures where procedure_id = 'P3'") == [
        (pytest.approx(31),)
    ]


def test_reference_refusals_leave_the_stage_before_later_tables_check(export, db, query):
    export.minimal(procedures=(
        "procedure_id,patient_id,plan_id,code,fee,status,diagnosed_date,completed_date\n"
        "P1,1001,T2,D1110,10.00,planned,2025-03-01,\n"
        "P2,9999,,D1110,20.00,planned,2025-03-01,\n"
        "P3,1001,T1,D1110,30.00,planned,2025-03-01,\n"
    ))
    export.write("treatment_plans.csv", "plan_id,patient_id,presented_date,status\n"
                 "T1,9999,2025-03-01,active\nT2,1001,2025-03-01,active\n")
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    # T1 points at no patient; P2 too; P3 points at T1, refused before procedures are checked
    assert [(r.table, r.row, r.key, r.column) for r in summary.rejects] == [
        ("treatment_plans", 2, "T1", "patient_id"),
        ("procedures", 3, "P2", "patient_id"),
        ("procedures", 4, "P3", "plan_id"),
    ]
    assert summary.rejects[2].reason == (
        'procedures.csv row 4, column plan_id: "T1" matches no treatment_plans row'
        ' (not loaded by this export, not in the database for source "A")'
    )
    assert summary.tables["procedures"] == {"read": 3, "loaded": 1, "quarantined": 2}
    assert query(db, "select procedure_id from raw_procedures") == [("P1",)]
    assert query(db, "select plan_id from raw_treatment_plans") == [("T2",)]
    assert query(db, "select row_number, row_key from rejects order by row_key") == [
        (3, "P2"), (4, "P3"), (2, "T1"),
    ]


def test_staging_removes_folders_of_dead_loads_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = tmp_path / f"{PREFIX}{dead_pid}-abc"
        kept = tmp_path / f"{PREFIX}{live.pid}-abc"
        for folder in (stale, kept):
            folder.mkdir()
            (folder / "stage.duckdb").write_bytes(b"x")
        with staging(tmp_path) as stage:
            assert stage.path.parent.name.startswith(PREFIX)
            assert not stale.exists() and kept.exists()
            assert stage.path.exists()
        assert not stage.path.parent.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == [kept.name]
    finally:
        live.kill()
        live.wait()
