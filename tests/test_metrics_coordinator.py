"""Coordinator readiness per practice and the payback of spec section 8, worked by hand."""

from __future__ import annotations

import json

import pytest

from caseboard.cli import main as cli_main
from caseboard.metrics import MetricParams, metrics_json
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db, d, one, rows

A = d("2026-08-31")


def done(pid, patient, day, fee="100", code="D2140", practice="P1"):
    """A completed procedure (diagnosed the day it was done)."""
    return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": fee,
            "status": "completed", "diagnosed_date": day, "completed_date": day,
            "practice_id": practice}


@pytest.fixture(scope="module")
def ready_db(tmp_path_factory):
    # P1: r1..r3 new in June 2026 (3 new in May-Jul = 1.0 a month), r4 an old patient;
    #     all four visited within 18 months -> 4 active.
    # P2: q1 an old patient seen 2026-02-01 -> 1 active, 0 new.
    path = tmp_path_factory.mktemp("ready") / "r.duckdb"
    return build_db(
        path,
        patients=[
            {"patient_id": "r1", "first_visit_date": "2026-06-02"},
            {"patient_id": "r2", "first_visit_date": "2026-06-10"},
            {"patient_id": "r3", "first_visit_date": "2026-06-20"},
            {"patient_id": "r4", "first_visit_date": "2025-01-01"},
            {"patient_id": "q1", "first_visit_date": "2024-01-01", "practice_id": "P2"},
        ],
        procedures=[
            done("a1", "r1", "2026-06-02"), done("a2", "r2", "2026-06-10"),
            done("a3", "r3", "2026-06-20"), done("a4", "r4", "2026-03-01"),
            done("b1", "q1", "2026-02-01", practice="P2"),
        ],
    )


def test_each_practice_gets_its_own_verdict(ready_db):
    got = rows(ready_db, "metric_readiness_practices", as_of=A, ready_active=4, ready_new=1)
    # P1: 4 active >= 4 and 3 / 3 = 1.0 new a month >= 1 -> ready
    # P2: 1 active < 4 and 0 new a month < 1 -> not ready; ready practices come first
    assert [(r["practice_id"], r["active_patients"], float(r["new_patients_avg_3m"]), r["ready"])
            for r in got] == [("P1", 4, 1.0, True), ("P2", 1, 0.0, False)]
    assert {(r["ready_active"], r["ready_new"]) for r in got} == {(4, 1)}
    # one practice selected: only its row
    only = rows(ready_db, "metric_readiness_practices", as_of=A, practice_id="P2",
                ready_active=4, ready_new=1)
    assert [r["practice_id"] for r in only] == ["P2"]


def test_json_lists_practices_and_no_list_for_one_practice(ready_db):
    with read_connection(ready_db) as con:
        out = metrics_json(con, MetricParams(as_of=A, ready_active=4, ready_new=1))
        single = metrics_json(con, MetricParams(as_of=A, practice_id="P1", ready_active=4,
                                                ready_new=1))
    assert out["readiness"]["practices"] == [
        {"practice": "P1", "active_patients": 4, "new_patients_avg_3m": 1.0, "ready": True},
        {"practice": "P2", "active_patients": 1, "new_patients_avg_3m": 0.0, "ready": False},
    ]
    assert "practices" not in single["readiness"]
    assert "payback" not in out["readiness"]


def test_threshold_setting_reaches_the_cli(ready_db, monkeypatch, capsys):
    # P2 has 1 active patient and 0 new a month: ready only with thresholds 1 and 0
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "1")
    monkeypatch.setenv("CASEBOARD_READY_NEW", "0")
    assert cli_main(["metrics", "--db", str(ready_db), "--as-of", "2026-08-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["ready"] for p in out["readiness"]["practices"]] == [True, True]
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "2")
    assert cli_main(["metrics", "--db", str(ready_db), "--as-of", "2026-08-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # P1 4 >= 2 ready; P2 1 < 2 not ready
    assert [(p["practice"], p["ready"]) for p in out["readiness"]["practices"]] == [
        ("P1", True), ("P2", False)]


# Payback fixture, A = 2026-08-31, W = 90:
# basis months: the newest mature month is May 2026 (May 31 + 90 = Aug 29 <= A; June 30 +
# 90 = Sep 28 > A), so Dec 2025 - May 2026.
#   c1 3000 diagnosed 01-10, scheduled 01-20, completed 02-01: accepted and completed
#   c2 1000 diagnosed 03-05, scheduled 03-20, still planned: accepted, not completed
#   c3 2000 diagnosed 04-01, planned, never booked: not accepted
#   (out of the basis: c0 6000 diagnosed 2025-11-15, c4 5000 diagnosed 2026-07-01;
#    x0 a D0150 exam, left out of acceptance by the code rule)
# D = (3000 + 1000 + 2000) / 6 = 1000; r = 4000 / 6000 = 0.6667; c = 3000 / 4000 = 0.75
# production Aug 2025 - Jul 2026: gross c0 6000 + c1 3000 + x0 100 = 9100; write-off -1820
#   -> net 7280, n = 7280 / 9100 = 0.8; collections 5824 -> k = 5824 / 7280 = 0.8
#   (a 1000 payment on 2025-07-15 and one on 2026-08-05 fall outside the 12 months)
# v = 0.14: D x c x n x k x (1 - v) = 1000 x 0.75 x 0.8 x 0.8 x 0.86 = 412.8 a point of rate
@pytest.fixture(scope="module")
def payback_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("payback") / "p.duckdb"

    def planned(pid, day, fee, scheduled=None, status="planned", completed=None):
        return {"procedure_id": pid, "patient_id": "m1", "code": "D2740", "fee": fee,
                "status": status, "diagnosed_date": day, "scheduled_date": scheduled,
                "completed_date": completed}

    return build_db(
        path,
        patients=[{"patient_id": "m1", "first_visit_date": "2024-01-01"},
                  {"patient_id": "z1", "first_visit_date": "2024-01-01", "practice_id": "P2"}],
        procedures=[
            planned("c0", "2025-11-15", "6000", "2025-11-20", "completed", "2025-11-20"),
            planned("c1", "2026-01-10", "3000", "2026-01-20", "completed", "2026-02-01"),
            planned("c2", "2026-03-05", "1000", "2026-03-20"),
            planned("c3", "2026-04-01", "2000"),
            planned("c4", "2026-07-01", "5000"),
            {"procedure_id": "x0", "patient_id": "m1", "code": "D0150", "fee": "100",
             "status": "completed", "diagnosed_date": "2026-02-01",
             "completed_date": "2026-02-01"},
            # P2 diagnoses treatment but has no production at all
            {"procedure_id": "z0", "patient_id": "z1", "code": "D2740", "fee": "900",
             "status": "planned", "diagnosed_date": "2026-02-01", "practice_id": "P2"},
        ],
        adjustments=[{"adjustment_id": "w1", "patient_id": "m1", "date": "2026-02-15",
                      "amount": "-1820", "kind": "insurance_writeoff"}],
        payments=[
            {"payment_id": "y0", "patient_id": "m1", "date": "2025-07-15", "amount": "1000",
             "source": "patient"},
            {"payment_id": "y1", "patient_id": "m1", "date": "2026-02-20", "amount": "5824",
             "source": "insurance"},
            {"payment_id": "y2", "patient_id": "m1", "date": "2026-08-05", "amount": "1000",
             "source": "patient"},
        ],
    )


def test_payback_inputs_and_a_target_that_pays(payback_db):
    row = one(payback_db, "metric_payback", as_of=A, practice_id="P1", coordinator_cost=960,
              target_rate=0.9)
    assert (row["basis_from"], row["basis_to"]) == (d("2025-12-01"), d("2026-05-01"))
    assert (row["production_from"], row["production_to"]) == (d("2025-08-01"), d("2026-07-01"))
    assert row["monthly_diagnosed"] == pytest.approx(1000)
    assert row["current_rate"] == pytest.approx(4000 / 6000)
    assert row["completion_share"] == pytest.approx(0.75)
    assert (row["gross_production"], row["net_production"], row["collections"]) == (
        9100, 7280, 5824)
    assert row["net_share"] == pytest.approx(0.8)
    assert row["collection_rate"] == pytest.approx(0.8)
    assert row["variable_cost_share"] == pytest.approx(0.14)
    # G = 412.8 x (0.9 - 0.6667) = 96.32; cost 960 / 12 = 80; net 16.32 -> pays
    assert row["monthly_gain"] == pytest.approx(96.32)
    assert row["monthly_cost"] == pytest.approx(80)
    assert row["monthly_net"] == pytest.approx(16.32)
    assert row["pays_for_itself"] is True
    # break-even 0.6667 + 80 / 412.8 = 0.6667 + 0.1938 = 0.8605
    assert row["break_even_rate"] == pytest.approx(2 / 3 + 80 / 412.8)
    # gains at r + 5, 10, 20 points: 412.8 x 0.05, 0.10, 0.20
    assert (row["gain_plus_5"], row["gain_plus_10"], row["gain_plus_20"]) == pytest.approx(
        (20.64, 41.28, 82.56))


def test_payback_json_rounds_as_the_spec_says(payback_db, capsys):
    assert cli_main(["metrics", "--db", str(payback_db), "--as-of", "2026-08-31",
                     "--practice", "P1", "--coordinator-cost", "960", "--target-rate", "0.9",
                     "--json"]) == 0
    payback = json.loads(capsys.readouterr().out)["readiness"]["payback"]
    assert payback == {
        "monthly_diagnosed": 1000.0, "current_rate": 0.6667, "completion_share": 0.75,
        "net_share": 0.8, "collection_rate": 0.8, "variable_cost_share": 0.14,
        "monthly_gain": 96.32, "monthly_cost": 80.0, "monthly_net": 16.32,
        "break_even_rate": 0.8605, "pays_for_itself": True,
    }


def test_variable_cost_option(payback_db, capsys):
    # v = 0.5: 1000 x 0.75 x 0.8 x 0.8 x 0.5 = 240 a point; G = 240 x 0.2333 = 56.00;
    # net 56 - 80 = -24 -> does not pay; break-even 0.6667 + 80 / 240 = 1.0
    assert cli_main(["metrics", "--db", str(payback_db), "--as-of", "2026-08-31",
                     "--practice", "P1", "--coordinator-cost", "960", "--target-rate", "0.9",
                     "--variable-cost", "0.5", "--json"]) == 0
    payback = json.loads(capsys.readouterr().out)["readiness"]["payback"]
    assert (payback["monthly_gain"], payback["monthly_net"], payback["break_even_rate"],
            payback["pays_for_itself"]) == (56.0, -24.0, 1.0, False)


def test_target_below_the_current_rate_loses_money(payback_db):
    row = one(payback_db, "metric_payback", as_of=A, practice_id="P1", coordinator_cost=960,
              target_rate=0.5)
    # G = 412.8 x (0.5 - 0.6667) = -68.8; net -68.8 - 80 = -148.8
    assert row["monthly_gain"] == pytest.approx(-68.8)
    assert row["monthly_net"] == pytest.approx(-148.8)
    assert row["pays_for_itself"] is False


def test_default_target_is_ten_points_up(payback_db):
    row = one(payback_db, "metric_payback", as_of=A, practice_id="P1", coordinator_cost=960)
    # r + 0.10 = 0.7667, rounded to a whole percent: 0.77; G = 412.8 x (0.77 - 0.6667) = 42.656
    assert row["target_is_default"] is True
    assert row["target_rate"] == pytest.approx(0.77)
    assert row["monthly_gain"] == pytest.approx(412.8 * (0.77 - 2 / 3))


def test_no_production_gives_no_payback(payback_db, capsys):
    row = one(payback_db, "metric_payback", as_of=A, practice_id="P2", coordinator_cost=960,
              target_rate=0.9)
    # P2: diagnosed 900 in February (D = 150, r = 0) but gross production 0 -> n, k NULL
    assert row["monthly_diagnosed"] == pytest.approx(150)
    assert row["current_rate"] == 0
    assert (row["net_share"], row["collection_rate"]) == (None, None)
    assert (row["monthly_gain"], row["monthly_net"], row["break_even_rate"],
            row["pays_for_itself"]) == (None, None, None, None)
    assert cli_main(["metrics", "--db", str(payback_db), "--as-of", "2026-08-31",
                     "--practice", "P2", "--coordinator-cost", "960", "--target-rate", "0.9",
                     "--json"]) == 0
    payback = json.loads(capsys.readouterr().out)["readiness"]["payback"]
    assert (payback["net_share"], payback["monthly_net"], payback["pays_for_itself"]) == (
        None, None, None)


def test_cost_and_target_go_together(payback_db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["metrics", "--db", str(payback_db), "--target-rate", "0.9", "--json"])
    assert exit_info.value.code == 2
    assert "--coordinator-cost and --target-rate go together" in capsys.readouterr().err
