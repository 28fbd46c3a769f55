"""A date far in the future never drives the default as-of; the data-health checks name it."""

from __future__ import annotations

from datetime import date, timedelta

from caseboard.metrics import MetricParams, resolve_params
from caseboard.storage import read_connection
from pipelines.ingest import ingest_paths
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    patient_row,
    procedure_row,
    write_csv,
)

TODAY = date.today()
PAST = TODAY - timedelta(days=40)


def _load(tmp_path, far: str):
    folder = tmp_path / "export"
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee")])
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row("X1", "P1", diagnosed_date=PAST.isoformat()),
        procedure_row("X2", "P1", diagnosed_date=PAST.isoformat(), completed_date=far,
                      status="completed"),
        procedure_row("X3", "P1", diagnosed_date=far),
    ])
    db = tmp_path / "db.duckdb"
    ingest_paths([folder], db=db, practice_id="p1")
    return db


def _health(db, practice_id=None) -> dict[str, dict]:
    with read_connection(db) as con:
        con.execute("set variable practice_id = ?", [practice_id])
        frame = con.sql("select * from dashboard_data_health").pl()
    return {row["check_name"]: row for row in frame.iter_rows(named=True)}


def test_a_9999_date_does_not_move_the_default_as_of(tmp_path):
    db = _load(tmp_path, "9999-12-31")
    with read_connection(db) as con:
        # events: X1 and X2 diagnosed PAST (kept); X2 completed and X3 diagnosed 9999-12-31,
        # after the day of the load (today): left out, so A = PAST
        assert resolve_params(con, MetricParams()).as_of == PAST
    check = _health(db)["Dates after the day the data was loaded"]
    assert check["row_count"] == 2  # rows X2 and X3 (X2 once, although one date of it is fine)
    assert check["table_name"] == "procedures"
    assert "9999-12-31" in check["consequence"]
    assert _health(db, "p1")["Dates after the day the data was loaded"]["row_count"] == 2
    assert _health(db, "other")["Dates after the day the data was loaded"]["row_count"] == 0


def test_tomorrow_is_also_after_the_load_day_but_today_is_not(tmp_path):
    db = _load(tmp_path, (TODAY + timedelta(days=1)).isoformat())
    with read_connection(db) as con:
        assert resolve_params(con, MetricParams()).as_of == PAST
    assert _health(db)["Dates after the day the data was loaded"]["row_count"] == 2
    db = _load(tmp_path / "today", TODAY.isoformat())
    with read_connection(db) as con:
        assert resolve_params(con, MetricParams()).as_of == TODAY  # the load day itself counts
    assert _health(db)["Dates after the day the data was loaded"]["row_count"] == 0
