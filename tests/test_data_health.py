"""A completed procedure with a negative fee loads, but is named in the load's warnings and in
the data-health checks (it used to show silently as 'Accepted -$190')."""

from __future__ import annotations

from pathlib import Path

from caseboard.metrics import MetricParams, query_view
from caseboard.storage import read_connection
from pipelines.ingest import ingest_paths

PATIENTS = "patient_id,first_name,last_name,status\n1001,Ann,Lee,active\n1002,Bob,Ray,active\n"
PROCEDURES = (
    "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"
    "P1,1001,D2740,1200.00,completed,2025-02-03,2025-02-10\n"   # file row 2
    "P2,1002,D2750,-190.00,completed,2025-03-01,2025-03-02\n"   # file row 3: negative
    "P3,1002,D1110,95.50,planned,2025-03-01,\n"
    "P4,1001,D2391,-10.00,planned,2025-03-01,\n"                # planned: not a completed fee
)


def test_negative_completed_fee_is_warned_and_checked(tmp_path: Path):
    export = tmp_path / "export"
    export.mkdir()
    (export / "patients.csv").write_text(PATIENTS)
    (export / "procedures.csv").write_text(PROCEDURES)
    db = tmp_path / "cb.duckdb"
    summary = ingest_paths([export], db=db, practice_id="p1")
    assert summary.tables["procedures"]["loaded"] == 4, "loaded, not refused"
    warned = [n for n in summary.notes if "negative fee" in n]
    assert warned == [
        "procedures.csv: 1 completed procedure(s) with a negative fee (row 3): they lower "
        "production and show as negative accepted treatment; a refund or write-off belongs "
        "in adjustments."
    ]
    with read_connection(db) as con:
        health = query_view(con, "dashboard_data_health", MetricParams())
    check = health.filter(health["check_name"] == "Completed procedures with a negative fee")
    # one row, P2: -190.00 (P4 is planned)
    assert check.select("row_count", "amount").rows() == [(1, -190.0)]
    assert "adjustments" in check["consequence"][0]


def test_unscheduled_treatment_in_words(tmp_path: Path):
    """The call list says what the treatment is: the export's description, else the code
    with its CDT category (never a bare code)."""
    export = tmp_path / "export"
    export.mkdir()
    (export / "patients.csv").write_text(PATIENTS)
    (export / "procedures.csv").write_text(
        "procedure_id,patient_id,code,description,fee,status,diagnosed_date\n"
        "Q1,1001,D2740,Crown - porcelain/ceramic,1200.00,planned,2025-02-03\n"
        "Q2,1001,D6010,,2100.00,planned,2025-02-03\n"
        "Q3,1002,D2391, ,150.00,planned,2025-02-04\n"
    )
    db = tmp_path / "cb.duckdb"
    ingest_paths([export], db=db, practice_id="p1")
    with read_connection(db) as con:
        rows = query_view(con, "metric_unscheduled_worklist", MetricParams())
    words = dict(zip(rows["patient_id"], rows["treatment"], strict=True))
    assert words == {
        "1001": "Crown - porcelain/ceramic; D6010 (Implants & fixed prosthodontics)",
        "1002": "D2391 (Restorative)",  # a blank description falls back too
    }
