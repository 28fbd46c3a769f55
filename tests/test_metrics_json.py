"""`caseboard metrics`: the JSON object against a schema, month ranges, exit codes."""

from __future__ import annotations

import json

import jsonschema
import pytest

from caseboard.commands import metrics as command
from caseboard.metrics import MetricParams, MetricsError, money, ratio, resolve_params
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db, d

AMOUNT = {"type": "number"}
COUNT = {"type": "integer", "minimum": 0}
RATE = {"type": ["number", "null"]}
MONTH = {"type": "string", "pattern": r"^\d{4}-\d{2}$"}


def _obj(properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


WEEK = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _months(properties: dict) -> dict:
    return _obj({"months": {"type": "array", "items": _obj({"month": MONTH, **properties})},
                 "weeks": {"type": "array", "items": _obj({"week": WEEK, **properties})}})


SCHEMA = _obj({
    "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "practice": {"type": ["string", "null"]},
    "window_days": COUNT,
    "age_days": {"type": ["integer", "null"], "minimum": 0},
    "acceptance": _months({
        "diagnosed_count": COUNT, "diagnosed_amount": AMOUNT, "accepted_count": COUNT,
        "accepted_amount": AMOUNT, "rate_count": RATE, "rate_amount": RATE,
        "mature": {"type": "boolean"},
    }),
    "new_patients": _months({"count": COUNT}),
    "active_patients": COUNT,
    "unscheduled": _obj({
        "total_amount": AMOUNT, "procedure_count": COUNT, "patient_count": COUNT,
        "aging": _obj({k: AMOUNT for k in ("0-30", "31-90", "91-180", "181-365", "365+")}),
    }),
    "production": _months({
        "gross_production": AMOUNT, "adjustments": AMOUNT, "net_production": AMOUNT,
        "collections": AMOUNT, "collection_rate": RATE,
    }),
    "ar_aging": _obj({k: AMOUNT for k in
                      ("0-30", "31-60", "61-90", "91+", "total", "credit_balances")}),
    "claims_outstanding": _obj({
        "count": COUNT, "amount": AMOUNT,
        "aging": _obj({k: AMOUNT for k in ("0-30", "31-60", "61-90", "91+")}),
    }),
    "readiness": {**_obj({
        "active_patients": COUNT, "new_patients_avg_3m": AMOUNT, "ready": {"type": "boolean"},
        # without --practice: every practice's own verdict (spec: readiness.practices)
        "practices": {"type": "array", "items": _obj({
            "practice": {"type": "string"}, "active_patients": COUNT,
            "new_patients_avg_3m": AMOUNT, "ready": {"type": "boolean"}})},
        # with --coordinator-cost and --target-rate
        "payback": _obj({
            **{k: AMOUNT for k in ("monthly_diagnosed", "monthly_cost")},
            **{k: {"type": ["number", "null"]} for k in ("monthly_gain", "monthly_net")},
            **{k: RATE for k in ("current_rate", "completion_share", "net_share",
                                 "collection_rate", "variable_cost_share", "break_even_rate")},
            "pays_for_itself": {"type": ["boolean", "null"]}}),
    }), "required": ["active_patients", "new_patients_avg_3m", "ready"]},
})


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("json") / "json.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "1", "first_name": "Ann", "first_visit_date": "2026-02-03"},
                  {"patient_id": "1", "first_name": "Bo", "source_id": "S2", "practice_id": "P2"}],
        procedures=[
            # 1/3 of a cent: 0.3333 accepted of 1.0000 diagnosed -> rate 0.3333, amounts 0.33/1.00
            {"procedure_id": "a", "patient_id": "1", "code": "D2140", "fee": "0.3333",
             "status": "completed", "diagnosed_date": "2026-02-03",
             "completed_date": "2026-02-03"},
            {"procedure_id": "b", "patient_id": "1", "code": "D2150", "fee": "0.6667",
             "status": "planned", "diagnosed_date": "2026-02-03"},
            {"procedure_id": "a", "patient_id": "1", "code": "D2740", "fee": "1000.005",
             "status": "planned", "diagnosed_date": "2026-06-30", "source_id": "S2",
             "practice_id": "P2"},
        ],
    )


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = command.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_matches_schema_and_every_month_present(db, capsys):
    code, out, _ = _run(capsys, "--db", str(db), "--json")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    # default A = newest event = 2026-06-30 (S2's diagnosis); months 2025-07 .. 2026-06
    assert doc["as_of"] == "2026-06-30"
    expected = [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    for section in ("acceptance", "new_patients", "production"):
        assert [m["month"] for m in doc[section]["months"]] == expected
    feb = next(m for m in doc["acceptance"]["months"] if m["month"] == "2026-02")
    # 0.3333 / (0.3333 + 0.6667) = 0.3333; amounts to cents: 1.00 and 0.33
    assert (feb["diagnosed_amount"], feb["accepted_amount"], feb["rate_amount"]) == (
        1.0, 0.33, 0.3333)
    # 1000.005 rounds half-up to 1000.01 (float rounding would give 1000.0)
    assert doc["unscheduled"]["total_amount"] == 1000.67  # 0.6667 + 1000.005 = 1000.6717
    empty = next(m for m in doc["production"]["months"] if m["month"] == "2025-07")
    assert empty == {"month": "2025-07", "gross_production": 0.0, "adjustments": 0.0,
                     "net_production": 0.0, "collections": 0.0, "collection_rate": None}


def test_json_with_payback_matches_schema(db, capsys):
    code, out, _ = _run(capsys, "--db", str(db), "--json", "--coordinator-cost", "60000",
                        "--target-rate", "0.65")
    assert code == 0
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert [p["practice"] for p in doc["readiness"]["practices"]] == ["P1", "P2"]
    # 60,000 a year = 5,000 a month; Jun 2025 - May 2026: gross = net = 0.3333 (n = 1),
    # nothing collected (k = 0), so the gain is 0, the net -5,000 and no break-even rate
    payback = doc["readiness"]["payback"]
    assert (payback["monthly_cost"], payback["net_share"], payback["collection_rate"],
            payback["monthly_gain"], payback["monthly_net"], payback["break_even_rate"],
            payback["pays_for_itself"]) == (5000.0, 1.0, 0.0, 0.0, -5000.0, None, False)


def test_practice_filter_in_json(db, capsys):
    code, out, _ = _run(capsys, "--db", str(db), "--json", "--practice", "P2",
                        "--from", "2026-06")
    doc = json.loads(out)
    assert code == 0 and doc["practice"] == "P2"
    assert [m["month"] for m in doc["acceptance"]["months"]] == ["2026-06"]
    assert doc["unscheduled"]["total_amount"] == 1000.01


def test_rounding_helpers_half_up():
    assert money("2.675") == 2.68  # float round(2.675, 2) gives 2.67
    assert money(None) == 0.0
    assert ratio(1, 3) == 0.3333
    assert ratio(2, 3) == 0.6667
    assert ratio("0.00005", 1) == 0.0001
    assert ratio(5, 0) is None


def test_month_ranges(db):
    with read_connection(db) as con:
        alone_to = resolve_params(con, MetricParams(as_of=d("2026-06-30"),
                                                    month_to=d("2026-03-01")))
        alone_from = resolve_params(con, MetricParams(as_of=d("2026-06-30"),
                                                      month_from=d("2026-01-01")))
        weeks = resolve_params(con, MetricParams(as_of=d("2026-06-30")))
        with pytest.raises(MetricsError):
            resolve_params(con, MetricParams(month_from=d("2026-05-01"), month_to=d("2026-01-01")))
    # --to alone: 12 months ending there, 2025-04 .. 2026-03
    assert (alone_to.month_from, alone_to.month_to) == (d("2025-04-01"), d("2026-03-01"))
    # --from alone: runs to A's month
    assert (alone_from.month_from, alone_from.month_to) == (d("2026-01-01"), d("2026-06-01"))
    # 2026-06-30 is a Tuesday: its week starts Monday 2026-06-29; 13 weeks back 12 * 7 days
    assert (weeks.week_from, weeks.week_to) == (d("2026-04-06"), d("2026-06-29"))


def test_text_summary(db, capsys):
    code, out, _ = _run(capsys, "--db", str(db), "--as-of", "2026-02-28", "--from", "2026-02",
                        "--to", "2026-02")
    assert code == 0
    assert "caseboard metrics as of Feb 28, 2026 (all practices, window 90 days)" in out
    assert "Feb 2026      $1.00     $0.33   33.3%" in out


@pytest.mark.parametrize("argv", [
    ["--as-of", "2026-02-30"], ["--from", "2026-13"], ["--window", "-1"], ["--window", "x"],
    ["--bogus"], ["--from", "2026-05", "--to", "2026-01"],
])
def test_bad_arguments_exit_2(db, capsys, argv):
    code = None
    try:
        code = command.main(["--db", str(db), *argv])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    assert "caseboard metrics" in capsys.readouterr().err


def test_missing_database_exit_1(tmp_path, capsys):
    code, out, err = _run(capsys, "--db", str(tmp_path / "none.duckdb"), "--json")
    assert code == 1 and out == ""
    assert "no database at" in err


def test_configured_window_is_the_default(db, capsys, monkeypatch):
    monkeypatch.setenv("CASEBOARD_WINDOW_DAYS", "30")
    doc = json.loads(_run(capsys, "--db", str(db), "--json")[1])
    assert doc["window_days"] == 30
    doc = json.loads(_run(capsys, "--db", str(db), "--json", "--window", "0")[1])
    assert doc["window_days"] == 0
    # W = 0: only same-day acceptance counts; a (0.3333) was done the day it was diagnosed
    feb = next(m for m in doc["acceptance"]["months"] if m["month"] == "2026-02")
    assert feb["accepted_amount"] == 0.33
