"""The follow-up log in the dashboard (AppTest on a copy of the two-practice sample):
the call list shows each patient's last contact and puts due patients first; the
Coordinator page's tiles equal the views; the weekly review lists overdue follow-ups."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from caseboard import followups, metrics
from caseboard.followups import Contact
from caseboard.review.format import day

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


@pytest.fixture
def db(two_practice_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy (the log is written beside it), served to a fresh AppTest."""
    db = tmp_path / "followups.duckdb"
    shutil.copyfile(two_practice_db, db)
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEBOARD_DEIDENTIFY", raising=False)
    return db


def call_list(db: Path, view: str = "metric_call_list") -> list[dict]:
    """The call list in the page's default order (workability, issue 13) before the
    follow-up columns; or, with the worklist view, by amount."""
    with duckdb.connect(str(db), read_only=True) as con:
        frame = metrics.query_view(con, view, metrics.MetricParams())
        as_of = metrics.default_as_of(con)
    return [r for r in frame.to_dicts() if r["amount"] > 0], as_of


def test_the_call_list_row_shows_the_last_contact_and_due_patients_come_first(db: Path):
    rows, as_of = call_list(db)
    first, third = rows[0], rows[2]
    today = date.today()
    followups.record(db, [
        Contact(first["source_id"], first["practice_id"], first["patient_id"], as_of,
                "left_message", None, today + timedelta(days=3), "private words", "x"),
        Contact(third["source_id"], third["practice_id"], third["patient_id"], as_of,
                "no_answer", None, today - timedelta(days=1), None, None),
    ])
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/unscheduled.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    name = f"{first['first_name']} {first['last_name']}"
    top = table.iloc[0]
    assert top["patient"] == name
    assert (top["last_outcome"], top["next_contact_date"]) == (
        "Left message", day(today + timedelta(days=3)))
    assert "private words" not in table.to_string()
    at.toggle(key="unscheduled_due_first").set_value(True).run()
    table = at.dataframe[0].value
    # the third patient of the list was due yesterday: first; the first is not due yet
    assert table.iloc[0]["patient"] == f"{third['first_name']} {third['last_name']}"
    assert table.iloc[0]["last_outcome"] == "No answer"


def test_coordinator_tiles_and_weekly_overdue_list(db: Path):
    rows, as_of = call_list(db, "metric_unscheduled_worklist")
    patient = rows[0]
    month_start = as_of.replace(day=1)
    # two contacts with the same patient this month; the latest set a next-contact date
    # before A and nothing was booked since: 2 contacts, 1 patient, 1 overdue
    followups.record(db, [
        Contact(patient["source_id"], patient["practice_id"], patient["patient_id"],
                month_start, "no_answer", None, None, None, None),
        Contact(patient["source_id"], patient["practice_id"], patient["patient_id"],
                month_start, "left_message", None, month_start, None, None),
    ])
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/coordinator.py").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Contacts made"] == "2"
    assert tiles["Patients contacted"] == "1"
    if as_of > month_start:
        assert tiles["Overdue follow-ups"] == "1"
    at.switch_page("app_pages/weekly.py").run()
    assert not at.exception
    assert any(s.value == "Overdue follow-ups" for s in at.subheader)


def test_the_weekly_review_lists_an_overdue_follow_up(db: Path):
    from caseboard.review import periods

    rows, as_of = call_list(db)
    patient = rows[1]
    monday = periods.last_complete_week(as_of)
    # called on the week's Monday and due again that day: overdue by its Sunday (6 days)
    followups.record(db, [Contact(patient["source_id"], patient["practice_id"],
                                  patient["patient_id"], monday, "no_answer", None, monday,
                                  None, None)])
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    overdue = next(d.value for d in at.dataframe if "days_overdue" in d.value.columns)
    assert overdue["patient"].tolist() == [f"{patient['first_name']} {patient['last_name']}"]
    assert overdue["days_overdue"].tolist() == [6]
    assert overdue["last_outcome"].tolist() == ["No answer"]
