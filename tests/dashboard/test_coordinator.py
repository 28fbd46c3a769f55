"""The Coordinator page: a verdict per practice (never on the sum), thresholds from their
settings (page, report and JSON alike), the payback in words, and the start date kept."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from caseboard.cli import main as cli_main
from caseboard.report.model import build_report
from caseboard.storage import read_connection
from tests.test_metrics_coordinator import build_before_after, build_payback, build_ready

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


@pytest.fixture(scope="module")
def ready_db(tmp_path_factory):
    """Two practices, P1 ready and P2 not at thresholds 4 and 1 (see build_ready)."""
    return build_ready(tmp_path_factory.mktemp("ready") / "r.duckdb")


@pytest.fixture(scope="module")
def payback_db(tmp_path_factory):
    """P1 with every payback input worked by hand, P2 without production (build_payback)."""
    return build_payback(tmp_path_factory.mktemp("payback") / "p.duckdb")


@pytest.fixture(scope="module")
def before_after_db(tmp_path_factory):
    """Acceptance around a 2025-05-15 start (build_before_after)."""
    return build_before_after(tmp_path_factory.mktemp("beforeafter") / "b.duckdb")


def _page(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          practice: str | None = None) -> AppTest:
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    if practice is not None:
        at.selectbox(key="practice").set_value(practice).run()
    at.switch_page("app_pages/coordinator.py").run()
    assert not at.exception
    return at


def _verdicts(at: AppTest) -> dict[str, str]:
    table = at.dataframe[0].value
    return dict(zip(table["Practice"], table["Verdict"], strict=True))


def _report_lines(db: Path, practice: str) -> list[str]:
    with read_connection(db) as con:
        return build_report(con, practice_id=practice).sections[0].coordinator


def _json_practices(db: Path, capsys) -> dict[str, bool]:
    assert cli_main(["metrics", "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    return {p["practice"]: p["ready"] for p in out["readiness"]["practices"]}


def test_all_practices_shows_each_verdict_and_none_on_the_sum(ready_db, tmp_path, monkeypatch):
    # thresholds 4 active and 1 new a month (A = 2026-08-31):
    # P1 4 active, 3 / 3 = 1.0 new a month -> ready; P2 1 active, 0 new -> not ready.
    # Their sum (5 active, 1.0 new) would pass: no verdict may be given on it.
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "4")
    monkeypatch.setenv("CASEBOARD_READY_NEW", "1")
    at = _page(ready_db, tmp_path, monkeypatch)
    assert at.subheader[0].value == "Which practices are ready for a treatment coordinator?"
    assert _verdicts(at) == {
        "P1": "Ready",
        "P2": "Not ready: needs 3 more active patients (has 1 of 4) and 1.0 more new patients "
              "a month (averages 0.0 of 1)",
    }
    assert list(at.dataframe[0].value["Practice"]) == ["P1", "P2"]  # ready first
    assert not [e for e in [*at.success, *at.warning] if "Ready" in e.value]
    assert any("4 active patients and 1 new patients a month" in c.value for c in at.caption)


def test_threshold_setting_changes_page_report_and_json(ready_db, tmp_path, monkeypatch,
                                                        capsys):
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "4")
    monkeypatch.setenv("CASEBOARD_READY_NEW", "1")
    page = _page(ready_db, tmp_path, monkeypatch, practice="P2")
    # P2: 4 - 1 = 3 active patients short, 1 - 0 = 1.0 new a month short
    assert page.warning[0].value.startswith("Not ready yet: needs 3 more active patients")
    assert _report_lines(ready_db, "P2")[0].startswith(
        "Not ready yet: needs 3 more active patients (has 1 of 4)")
    assert _json_practices(ready_db, capsys) == {"P1": True, "P2": False}
    # thresholds 1 and 0: P2's 1 active patient and 0 new a month are enough
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "1")
    monkeypatch.setenv("CASEBOARD_READY_NEW", "0")
    page = _page(ready_db, tmp_path, monkeypatch, practice="P2")
    assert page.success[0].value == ("Ready: 1 active patients (threshold 1) and 0.0 new "
                                     "patients a month (threshold 0).")
    assert _report_lines(ready_db, "P2")[0] == page.success[0].value
    assert _json_practices(ready_db, capsys) == {"P1": True, "P2": True}
    # and no page still carries a hard-coded threshold
    pages = (APP.parent / "app_pages")
    assert not [p.name for p in pages.glob("*.py") if "1500" in p.read_text()]


def test_payback_in_words_and_editable(payback_db, tmp_path, monkeypatch):
    # P1 of the payback fixture: 412.8 a rate point; C = 960 a year (80 a month)
    monkeypatch.setenv("CASEBOARD_COORDINATOR_COST", "960")
    at = _page(payback_db, tmp_path, monkeypatch, practice="P1")
    # default target r + 10 points = 0.7667 -> 77%: G = 412.8 x (0.77 - 0.6667) = 42.66,
    # net 42.66 - 80 = -37.34
    assert at.number_input(key="coordinator_target").value == 77.0
    # the readiness verdict is a warning too: the payback's is the one about acceptance
    assert [w.value for w in at.warning if w.value.startswith("At ")] == [
        "At 77% acceptance a coordinator does not pay for itself at this target: it would "
        "cost about $37 a month more than it brings."]
    # target 90%: G = 412.8 x 0.2333 = 96.32, net 16.32
    at.number_input(key="coordinator_target").set_value(90.0).run()
    assert at.success[-1].value == ("At 90% acceptance a coordinator pays for itself: about "
                                    "$16 a month after its cost.")
    assert "It breaks even at 86.0% acceptance by fees (now 66.7%)." in [
        m.value for m in at.markdown]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["A month after its cost"] == "$16"
    inputs = at.dataframe[1].value
    assert dict(zip(inputs["Input"], inputs["Value"], strict=True))["Net share (n)"] == "80.0%"


def test_no_production_says_why_on_the_page(payback_db, tmp_path, monkeypatch):
    at = _page(payback_db, tmp_path, monkeypatch, practice="P2")
    assert any(i.value.startswith("No payback: no production was recorded in Aug 2025 to Jul "
                                  "2026") for i in at.info)


def test_start_date_is_kept_and_gives_before_and_after(before_after_db, tmp_path, monkeypatch):
    db = tmp_path / "start.duckdb"
    shutil.copyfile(before_after_db, db)
    at = _page(db, tmp_path, monkeypatch)
    at.date_input(key="coordinator_start_date").set_value(date(2025, 5, 15)).run()
    at.button(key="coordinator_start_save").click().run()
    assert not at.exception
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select practice_key, start_date from coordinator_starts").fetchall() == [
            ("", date(2025, 5, 15))]
    table = at.dataframe[-1].value
    rows = {r["Case size"]: (r["Before"], r["Cases before"], r["After"], r["Cases after"],
                             r["Change by fees"]) for r in table.to_dict("records")}
    # the default A is the newest event, 2025-12-06 (a4's booking): after-months are mature
    # up to August (Aug 31 + 90 = Nov 29; Sep 30 + 90 = Dec 29 is after A), so 3 of 6.
    # before 1,000 of 7,200 = 13.9% of fees, 1 of 3 procedures, 3 cases; after June-August:
    # A1 3,000 + a2 200, all booked = 100%, 3 of 3 procedures, 2 cases; +86.1 points
    assert rows["All cases"] == ("13.9% of fees · 33.3% of procedures", "3",
                                 "100.0% of fees · 100.0% of procedures", "2",
                                 "+86.1 pts (few cases)")
    assert any("(3 mature so far)" in c.value for c in at.caption)
    assert ("**Acceptance by fees went from 13.9% to 100.0% (+86.1 pts), from 3 cases before "
            "and 2 after.**") in [m.value for m in at.markdown]
    at.button(key="coordinator_start_forget").click().run()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from coordinator_starts").fetchall() == [(0,)]


def test_report_paragraph_has_the_payback_in_words(payback_db, monkeypatch):
    from caseboard.report.render import render_html

    monkeypatch.setenv("CASEBOARD_COORDINATOR_COST", "960")
    with read_connection(payback_db) as con:
        report = build_report(con, practice_id="P1")
    lines = report.sections[0].coordinator
    # P1: 1 active patient, 0 new a month; default target 77%: G = 412.8 x (0.77 - 0.6667)
    # = 42.66, net 42.66 - 80 = -37.34; break-even 0.6667 + 80 / 412.8 = 86.0%
    assert lines == [
        "Not ready yet: needs 1,499 more active patients (has 1 of 1,500) and 50.0 more new "
        "patients a month (averages 0.0 of 50).",
        "At 77% acceptance a coordinator does not pay for itself at this target: it would cost "
        "about $37 a month more than it brings.",
        "It breaks even at 86.0% acceptance by fees (now 66.7%).",
        "(At $960 a year and a target 10 points above today's rate.)",
    ]
    html = render_html(report)
    assert "Treatment coordinator." in html and "about $37 a month more" in html
