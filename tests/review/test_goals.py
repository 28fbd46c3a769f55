"""Goals (spec section 9): one period rule, direction, percent targets, the same goal on the
weekly page, the Coordinator page and the PDF."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from caseboard.metrics import MetricParams, query_view, resolve_params
from caseboard.report import build_report_pdf
from caseboard.review import goals
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
# A = Sun 2026-10-11 (the newest event): the weekly review's default week (Mon 10-05 ..
# Sun 10-11) is the week holding A, so every page reviews the same period.
A = date(2026, 10, 11)
MONDAY = date(2026, 10, 5)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("goals") / "goals.duckdb"

    def proc(pid, fee, status, diagnosed, scheduled=None, completed=None):
        return {"procedure_id": pid, "patient_id": "1", "code": "D2740", "fee": fee,
                "status": status, "diagnosed_date": diagnosed, "scheduled_date": scheduled,
                "completed_date": completed, "provider_id": "DR1"}

    return build_db(
        path,
        patients=[{"patient_id": "1", "first_name": "Ann", "last_name": "Lee",
                   "status": "active", "first_visit_date": "2025-01-10"}],
        team=[{"member_id": "DR1", "name": "Dr. Lee", "role": "dentist"}],
        procedures=[
            # this week: diagnosed 1000 + 600 = 1600; accepted G1 (scheduled 10-07) = 1000
            proc("G1", "1000", "planned", "2026-10-05", "2026-10-07"),
            proc("G2", "600", "planned", "2026-10-06"),
            # an older unscheduled procedure: unscheduled on 10-11 = G2 600 + G3 2400 = 3000
            proc("G3", "2400", "planned", "2026-06-01"),
            # completed 06-10, never paid: A/R over 90 days on 10-11 (123 days) = 500
            proc("G4", "500", "completed", "2026-06-10", None, "2026-06-10"),
        ],
        claims=[{"claim_id": "K1", "patient_id": "1", "service_date": "2026-06-10",
                 "sent_date": "2026-06-11", "status": "sent", "billed_amount": "500",
                 "received_date": "2026-10-11"}],
        goals=[
            # rate 60 % entered as 60 -> stored 0.6; this week 1000 / 1600 = 62.5 % -> on track
            {"goal_id": "1", "metric": "acceptance_rate_amount",
             "target": str(goals.target_from_input("acceptance_rate_amount", 60)),
             "period": "week", "practice_id": "P1", "member_id": None},
            # at most 4,000 unscheduled a month: 3,000 <= 4,000 -> on track
            {"goal_id": "2", "metric": "unscheduled_amount", "target": "4000",
             "period": "month", "practice_id": "P1", "member_id": "DR1"},
            # at most 400 of A/R over 90 days: 500 > 400 -> behind
            {"goal_id": "3", "metric": "ar_91_plus", "target": "400", "period": "week",
             "practice_id": None, "member_id": None},
            # claims over 30 days: K1 was received on A, so nothing is out: 0 <= 100
            {"goal_id": "4", "metric": "claims_over_30", "target": "100", "period": "week",
             "practice_id": None, "member_id": None},
        ],
    )


def _lines(db, monday=None) -> dict[int, goals.GoalLine]:
    with read_connection(db) as con:
        view, params = goals.goal_request(resolve_params(con, MetricParams()), monday)
        return {g.goal_id: g for g in goals.goal_lines(query_view(con, view, params))}


def test_percent_targets():
    assert goals.target_from_input("acceptance_rate_amount", 60) == pytest.approx(0.60)
    assert goals.target_for_input("acceptance_rate_amount", 0.6) == pytest.approx(60)
    assert goals.target_from_input("accepted_amount", 2000) == 2000.0
    with pytest.raises(goals.GoalError, match="above 100 %"):
        goals.target_from_input("acceptance_rate_amount", 150)
    with pytest.raises(goals.GoalError, match="negative"):
        goals.target_from_input("collections", -1)


def test_the_period_holds_the_reviewed_date(db):
    # the weekly review of the week before (Mon 09-28) reviews its Sunday 10-04
    assert goals.reviewed_date(A, date(2026, 9, 28)) == date(2026, 10, 4)
    assert goals.reviewed_date(A) == A
    earlier = _lines(db, date(2026, 9, 28))
    assert (earlier[1].period_start, earlier[1].period_end) == (date(2026, 9, 28),
                                                                date(2026, 10, 4))
    # nothing diagnosed that week: the rate goal has no data
    assert earlier[1].status == "no data"


def test_statuses_directions_dates_and_owner(db):
    lines = _lines(db)
    rate, unscheduled, ar, claims = lines[1], lines[2], lines[3], lines[4]
    assert rate.target == pytest.approx(0.6) and rate.target_text == "60.0%"
    assert rate.actual == pytest.approx(1000 / 1600) and rate.status == "on track"
    assert rate.dates == "Mon Oct 5 – Sun Oct 11, 2026"
    assert rate.owner == "whole team, practice P1"
    # at most: 3,000 unscheduled below the 4,000 target is on track (progress 0.75)
    assert (unscheduled.direction, unscheduled.actual, unscheduled.status) == (
        "at most", 3000.0, "on track")
    assert unscheduled.progress == pytest.approx(0.75)
    assert unscheduled.owner == "Dr. Lee, practice P1"
    # the month of October measured up to A (10-11)
    assert unscheduled.dates == "Thu Oct 1 – Sat Oct 31, 2026, up to Sun Oct 11"
    assert (ar.actual, ar.status) == (500.0, "behind")
    assert (claims.actual, claims.status) == (0.0, "on track")


def _pdf_text(db, tmp_path) -> str:
    path = tmp_path / "goals.pdf"
    path.write_bytes(build_report_pdf(db, MONDAY))
    return subprocess.run(["pdftotext", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_same_goal_reads_the_same_everywhere(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEBOARD_DEIDENTIFY", raising=False)
    rate = _lines(db)[1]
    # 62.5 % of 60.0 % this week, on track, Mon Oct 5 - Sun Oct 11, for practice P1
    expected = "Acceptance rate ($) ≥ 60.0% a week: 62.5% · on track"
    assert rate.summary == expected
    dates = "Mon Oct 5 – Sun Oct 11, 2026 · for whole team, practice P1"

    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    assert not app.exception
    weekly_texts = [p.proto.text for p in app.get("progress")]
    assert expected in weekly_texts
    assert dates in [c.value for c in app.caption]

    app.switch_page("app_pages/coordinator.py").run()
    assert not app.exception
    assert f"**{expected}**" in [p.proto.text for p in app.get("progress")]
    assert dates in [c.value for c in app.caption]

    # the PDF's goal row (words in reading order), and the week goals' dates under the table
    text = " ".join(_pdf_text(db, tmp_path).split())
    assert ("Acceptance rate ($) ≥ a week · whole team, practice P1 60.0% 62.5% on track"
            in text)
    assert "Week goals: Mon Oct 5 – Sun Oct 11, 2026." in text


def test_a_rate_target_above_100_is_refused_on_the_page(db, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page("app_pages/coordinator.py").run()
    app.selectbox(key="goal_new_metric").set_value("acceptance_rate_amount").run()
    app.number_input(key="goal_new_target_acceptance_rate_amount").set_value(150.0).run()
    app.button(key="goal_new_save").click().run()
    assert any("above 100 %" in e.value for e in app.error)
    assert len(_lines(db)) == 4  # nothing saved


def test_a_goal_can_be_edited(db, tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "edit.duckdb"
    shutil.copy(db, copy)
    monkeypatch.setenv("CASEBOARD_DB", str(copy))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.switch_page("app_pages/coordinator.py").run()
    # the rate goal's editor shows 60 (percent); 70 is saved as 0.70
    assert app.number_input(key="goal_target_1").value == pytest.approx(60)
    app.number_input(key="goal_target_1").set_value(70.0).run()
    app.button(key="goal_save_1").click().run()
    assert not app.exception and not app.error
    rate = _lines(copy)[1]
    assert rate.target == pytest.approx(0.70)
    # 62.5 % is now below the 70 % target
    assert rate.status == "behind"
