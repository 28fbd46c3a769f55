"""`caseboard metrics --json`: weeks (`--weeks`), equal age (`--age`), `age_days`."""

from __future__ import annotations

import json

import pytest

from caseboard.commands import metrics as command
from tests.metric_fixtures import build_db

# A = Wed 2026-04-01: its week (Mon 03-30 .. Sun 04-05) straddles the end of March.


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("weeks") / "weeks.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "1", "first_name": "Ann", "first_visit_date": "2026-03-31"},
                  {"patient_id": "2", "first_name": "Bo", "first_visit_date": "2026-04-02"}],
        procedures=[
            {"procedure_id": "W1", "patient_id": "1", "code": "D2740", "fee": "1000",
             "status": "planned", "diagnosed_date": "2026-03-30",
             "scheduled_date": "2026-03-31"},
            {"procedure_id": "W2", "patient_id": "1", "code": "D2150", "fee": "300",
             "status": "planned", "diagnosed_date": "2026-03-31",
             "scheduled_date": "2026-04-03"},
            {"procedure_id": "W3", "patient_id": "1", "code": "D2391", "fee": "200",
             "status": "completed", "diagnosed_date": "2026-04-01",
             "completed_date": "2026-04-01"},
            {"procedure_id": "W4", "patient_id": "1", "code": "D2740", "fee": "500",
             "status": "completed", "diagnosed_date": "2026-03-02",
             "completed_date": "2026-03-12"},
        ],
        payments=[
            {"payment_id": "M1", "patient_id": "1", "date": "2026-03-31", "amount": "150",
             "source": "patient"},
            {"payment_id": "M2", "patient_id": "1", "date": "2026-04-01", "amount": "50",
             "source": "patient"},
            {"payment_id": "M3", "patient_id": "1", "date": "2026-04-02", "amount": "999",
             "source": "patient"},
        ],
    )


def _json(capsys, db, *argv) -> dict:
    assert command.main(["--db", str(db), "--json", "--as-of", "2026-04-01", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_thirteen_weeks_by_default(db, capsys):
    doc = _json(capsys, db)
    # the week holding A starts Mon 03-30; 13 weeks back: 03-30 - 12 x 7 days = 01-05
    for section in ("acceptance", "new_patients", "production"):
        weeks = [w["week"] for w in doc[section]["weeks"]]
        assert len(weeks) == 13 and weeks[0] == "2026-01-05" and weeks[-1] == "2026-03-30"
    assert doc["age_days"] is None


def test_week_straddling_the_month_end_as_of_mid_week(db, capsys):
    doc = _json(capsys, db, "--weeks", "3")
    assert [w["week"] for w in doc["acceptance"]["weeks"]] == [
        "2026-03-16", "2026-03-23", "2026-03-30"]
    week = doc["acceptance"]["weeks"][-1]
    # week 03-30: diagnosed W1 1000 + W2 300 + W3 200 = 1500 (3); accepted W1 (03-31) + W3
    # (same day) = 1200 (2); W2's booking 04-03 is after A. 1200/1500 = 0.8, 2/3 = 0.6667;
    # not mature (Sun 04-05 + 90 > A)
    assert week == {"week": "2026-03-30", "diagnosed_count": 3, "diagnosed_amount": 1500.0,
                    "accepted_count": 2, "accepted_amount": 1200.0, "rate_count": 0.6667,
                    "rate_amount": 0.8, "mature": False}
    # production of the week: W3 200 completed 04-01; collections 150 (03-31) + 50 (04-01) =
    # 200, M3 (04-02) is after A; rate 200 / 200 = 1.0
    assert doc["production"]["weeks"][-1] == {
        "week": "2026-03-30", "gross_production": 200.0, "adjustments": 0.0,
        "net_production": 200.0, "collections": 200.0, "collection_rate": 1.0}
    # new: Ann (03-31); Bo's first visit 04-02 is after A
    assert doc["new_patients"]["weeks"][-1] == {"week": "2026-03-30", "count": 1}
    # the same days split by month: March W4 500 + W1 1000 + W2 300 diagnosed, W4 + W1
    # accepted = 1500; April W3 200 of 200
    months = {m["month"]: m for m in doc["acceptance"]["months"]}
    assert (months["2026-03"]["diagnosed_amount"], months["2026-03"]["accepted_amount"]) == (
        1800.0, 1500.0)
    assert (months["2026-04"]["diagnosed_amount"], months["2026-04"]["accepted_amount"]) == (
        200.0, 200.0)


def test_age_caps_weeks_and_months(db, capsys):
    doc = _json(capsys, db, "--weeks", "5", "--age", "3")
    assert doc["age_days"] == 3
    weeks = {w["week"]: w for w in doc["acceptance"]["weeks"]}
    # week 03-02 (Sun 03-08): W4 accepted 03-12 > 03-08 + 3 = 03-11: not counted at age 3
    assert (weeks["2026-03-02"]["diagnosed_amount"], weeks["2026-03-02"]["accepted_amount"],
            weeks["2026-03-02"]["rate_amount"]) == (500.0, 0.0, 0.0)
    # week 03-30 (Sun 04-05, cap 04-08): unchanged, 1200 of 1500
    assert weeks["2026-03-30"]["accepted_amount"] == 1200.0
    # March (last day 03-31, cap 04-03): W4 (03-12) and W1 (03-31) count: 1500
    march = next(m for m in doc["acceptance"]["months"] if m["month"] == "2026-03")
    assert march["accepted_amount"] == 1500.0
    # production is not an acceptance figure: W4's 500 stays in week 03-09
    production = {w["week"]: w for w in doc["production"]["weeks"]}
    assert production["2026-03-09"]["gross_production"] == 500.0
    # at age 4 the cap is 03-12: W4 counts
    aged = _json(capsys, db, "--weeks", "5", "--age", "4")
    assert aged["acceptance"]["weeks"][0]["accepted_amount"] == 500.0


def test_bad_weeks_and_age_are_refused(db, capsys):
    for argv in (["--weeks", "0"], ["--age", "-1"], ["--weeks", "x"]):
        with pytest.raises(SystemExit) as exit_info:
            command.main(["--db", str(db), "--json", *argv])
        assert exit_info.value.code == 2
    capsys.readouterr()
