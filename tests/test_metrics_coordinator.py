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
    """The fixture database built by build_ready."""
    return build_ready(tmp_path_factory.mktemp("ready") / "r.duckdb")


def build_ready(path):
    """Write the hand-built rows into ``path`` (worked in the comments)."""
    # P1: r1..r3 new in June 2026 (3 new in May-Jul = 1.0 a month), r4 an old patient seen
    #     on 2026-08-31 (the newest event: the default A); all four visited within 18 months
    #     -> 4 active.
    # P2: q1 an old patient seen 2026-02-01 -> 1 active, 0 new.
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
            done("a3", "r3", "2026-06-20"), done("a4", "r4", "2026-08-31"),
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
#   (a 1000 payment on 2025-07-15 and one on 2026-08-31, A itself and so the default A,
#   fall outside the 12 months)
# v = 0.14: D x c x n x k x (1 - v) = 1000 x 0.75 x 0.8 x 0.8 x 0.86 = 412.8 a point of rate
@pytest.fixture(scope="module")
def payback_db(tmp_path_factory):
    """The fixture database built by build_payback."""
    return build_payback(tmp_path_factory.mktemp("payback") / "p.duckdb")


def build_payback(path):
    """Write the hand-built rows into ``path`` (worked in the comments)."""

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
            {"payment_id": "y2", "patient_id": "m1", "date": "2026-08-31", "amount": "1000",
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


# Workload, A = 2026-08-31 (a Monday): the 12 complete weeks are Mon 2026-06-08 .. Sun
# 2026-08-30 (A's own week is not complete).
@pytest.fixture(scope="module")
def workload_db(tmp_path_factory):
    """The fixture database built by build_workload."""
    return build_workload(tmp_path_factory.mktemp("workload") / "w.duckdb")


def build_workload(path):
    """Write the hand-built rows into ``path`` (worked in the comments)."""

    def proc(pid, patient, day, fee, code="D2740", plan=None, scheduled=None):
        return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": fee,
                "status": "planned", "diagnosed_date": day, "plan_id": plan,
                "scheduled_date": scheduled}

    old = [{"patient_id": p, "first_visit_date": "2020-01-01"}
           for p in ("w1", "w2", "w3", "w4", "w5", "w6", "w7")]
    return build_db(
        path,
        patients=[*old,
                  {"patient_id": "n1", "first_visit_date": "2026-06-08"},  # first day: in
                  {"patient_id": "n2", "first_visit_date": "2026-08-30"},  # last day: in
                  {"patient_id": "n3", "first_visit_date": "2026-06-07"},  # day before: out
                  {"patient_id": "n4", "first_visit_date": "2026-08-31"},  # A's week: out
                  {"patient_id": "n5", "first_visit_date": "2026-07-01",
                   "status": "prospective"}],  # never new
        treatment_plans=[{"plan_id": "L1", "patient_id": "w1", "presented_date": "2026-07-01",
                          "status": "active"}],
        procedures=[
            # plan L1: 600 + 500 = 1,100, booked the day it was diagnosed: large, no call
            proc("l1a", "w1", "2026-07-01", "600", plan="L1", scheduled="2026-07-01"),
            proc("l1b", "w1", "2026-07-01", "500", plan="L1", scheduled="2026-07-01"),
            # w2's visit 07-15: 900 + 200 = 1,100 not booked: large and a call
            proc("w2a", "w2", "2026-07-15", "900"), proc("w2b", "w2", "2026-07-15", "200"),
            # before the weeks: not counted
            proc("w3a", "w3", "2026-06-01", "5000"),
            # exactly 1,000, booked days later: large and a call
            proc("w4a", "w4", "2026-08-30", "1000", scheduled="2026-09-05"),
            # A's week: not counted
            proc("w5a", "w5", "2026-08-31", "2000"),
            # 300, not booked: a call, not large
            proc("w6a", "w6", "2026-07-20", "300"),
            # an exam left unbooked: the code rule leaves it out, no call
            proc("w7a", "w7", "2026-07-10", "100", code="D0150"),
        ],
    )


def test_workload_counts(workload_db):
    row = one(workload_db, "metric_coordinator_workload", as_of=A)
    assert (row["weeks_from"], row["weeks_to"], row["weeks"]) == (
        d("2026-06-08"), d("2026-08-24"), 12)
    # large cases L1, w2's visit, w4 = 3; new n1, n2 = 2; calls w2, w4, w6 = 3
    assert (row["large_cases"], row["new_patients"], row["followup_visits"]) == (3, 2, 3)


def test_workload_hours(workload_db):
    from caseboard.review.readiness import workload

    row = one(workload_db, "metric_coordinator_workload", as_of=A)
    # defaults 45 / 20 / 15 minutes: (3 x 45 + 2 x 20 + 3 x 15) / 12 weeks / 60
    #   = 220 / 720 = 0.3056 hours a week
    assert workload(row).hours == pytest.approx(220 / 720)
    # 60 / 30 / 12 minutes: (180 + 60 + 36) / 720 = 0.3833
    work = workload(row, 60, 30, 12)
    assert work.hours == pytest.approx(276 / 720)
    assert (work.cases_per_week, work.new_per_week, work.calls_per_week) == pytest.approx(
        (0.25, 2 / 12, 0.25))


# Before and after a coordinator who started 2025-05-15: before = Nov 2024 - Apr 2025,
# after = Jun - Nov 2025 (May, the month of the start, is left out).
@pytest.fixture(scope="module")
def before_after_db(tmp_path_factory):
    """The fixture database built by build_before_after."""
    return build_before_after(tmp_path_factory.mktemp("beforeafter") / "b.duckdb")


def build_before_after(path):
    """Write the hand-built rows into ``path`` (worked in the comments)."""

    def proc(pid, patient, day, fee, plan=None, scheduled=None):
        return {"procedure_id": pid, "patient_id": patient, "code": "D2740", "fee": fee,
                "status": "planned", "diagnosed_date": day, "plan_id": plan,
                "scheduled_date": scheduled}

    return build_db(
        path,
        patients=[{"patient_id": p, "first_visit_date": "2020-01-01"}
                  for p in ("p1", "p2", "p3")],
        treatment_plans=[
            {"plan_id": "B1", "patient_id": "p1", "presented_date": "2024-12-10",
             "status": "active"},
            {"plan_id": "A1", "patient_id": "p1", "presented_date": "2025-06-02",
             "status": "active"},
        ],
        procedures=[
            proc("b1", "p1", "2024-12-10", "1000", plan="B1", scheduled="2024-12-20"),
            proc("b2", "p2", "2025-02-01", "200"),
            proc("b3", "p3", "2025-04-30", "6000"),
            proc("b4", "p2", "2025-05-20", "700", scheduled="2025-05-25"),  # start month
            proc("a1a", "p1", "2025-06-02", "1500", plan="A1", scheduled="2025-06-10"),
            proc("a1b", "p1", "2025-06-02", "1500", plan="A1", scheduled="2025-06-10"),
            proc("a2", "p2", "2025-07-01", "200", scheduled="2025-07-05"),
            proc("a3", "p3", "2025-10-15", "400"),
            proc("a4", "p3", "2025-12-05", "900", scheduled="2025-12-06"),  # after Nov
        ],
    )


def _periods(db, **params):
    return {(r["period"], r["case_size"]): r
            for r in rows(db, "metric_coordinator_before_after", **params)}


def test_before_and_after_by_case_size(before_after_db):
    got = _periods(before_after_db, as_of=A, coordinator_start=d("2025-05-15"))
    before, after = got[("before", "All cases")], got[("after", "All cases")]
    # before: b1 1,000 (booked), b2 200, b3 6,000 -> 3 cases, 1,000 of 7,200 = 0.1389, 1 of 3
    assert (before["months_counted"], before["case_count"], before["diagnosed_count"],
            before["diagnosed_amount"], before["accepted_count"], before["accepted_amount"]) == (
        6, 3, 3, 7200, 1, 1000)
    assert before["rate_amount"] == pytest.approx(1000 / 7200)
    assert before["rate_count"] == pytest.approx(1 / 3)
    # after: A1 3,000 (2 procedures, booked), a2 200 (booked), a3 400 -> 3 cases,
    # 3,200 of 3,600 = 0.8889, 3 of 4 procedures = 0.75
    assert (after["months_counted"], after["case_count"], after["diagnosed_count"],
            after["diagnosed_amount"], after["accepted_count"], after["accepted_amount"]) == (
        6, 3, 4, 3600, 3, 3200)
    assert after["rate_amount"] == pytest.approx(3200 / 3600)
    assert after["rate_count"] == pytest.approx(0.75)
    # by case size: before < $500 is b2 (0 of 200), $500-1,999 is B1 (1,000 of 1,000),
    # $2,000-4,999 empty (no rate), >= $5,000 is b3 (0 of 6,000);
    # after < $500 is a2 + a3 (200 of 600), $2,000-4,999 is A1 (3,000 of 3,000)
    shown = {key: (r["case_count"], r["diagnosed_amount"], r["accepted_amount"],
                   r["rate_amount"]) for key, r in got.items()}
    assert shown[("before", "< $500")] == (1, 200, 0, 0)
    assert shown[("before", "$500-1,999")] == (1, 1000, 1000, 1)
    assert shown[("before", "$2,000-4,999")] == (0, 0, 0, None)
    assert shown[("before", ">= $5,000")] == (1, 6000, 0, 0)
    assert shown[("after", "< $500")][:3] == (2, 600, 200)
    assert shown[("after", "$2,000-4,999")] == (1, 3000, 3000, 1)
    assert [key for key in got] == [
        (p, s) for p in ("before", "after")
        for s in ("< $500", "$500-1,999", "$2,000-4,999", ">= $5,000", "All cases")]


def test_after_counts_only_mature_months(before_after_db):
    # A = 2025-12-31, W = 90: Sep 30 + 90 = Dec 29 is mature, Oct 31 + 90 is not ->
    # June - September: 4 months; a3 (October) drops out: 2 cases, 3,200 of 3,200
    after = _periods(before_after_db, as_of=d("2025-12-31"),
                     coordinator_start=d("2025-05-15"))[("after", "All cases")]
    assert (after["months_counted"], after["case_count"], after["diagnosed_amount"],
            after["accepted_amount"]) == (4, 2, 3200, 3200)


def test_start_on_the_first_counts_that_month(before_after_db):
    # start 2025-06-01: before = Dec 2024 - May 2025 (b1, b2, b3, b4), after = Jun - Nov
    got = _periods(before_after_db, as_of=A, coordinator_start=d("2025-06-01"))
    # before: 1,000 + 200 + 6,000 + 700 = 7,900 diagnosed, 1,000 + 700 = 1,700 accepted
    assert (got[("before", "All cases")]["diagnosed_amount"],
            got[("before", "All cases")]["accepted_amount"]) == (7900, 1700)
    assert got[("after", "All cases")]["diagnosed_amount"] == 3600


def test_no_start_date_no_rows(before_after_db):
    assert rows(before_after_db, "metric_coordinator_before_after", as_of=A) == []


def test_projection_through_the_views(tmp_path):
    from caseboard.metrics import query_view
    from caseboard.review import readiness as rd

    # new patients: 1 in Aug 2024, 2 in Sep 2024, ... 24 in Jul 2026 (one more each month)
    patients, month = [], d("2024-08-01")
    for i in range(24):
        year, mon = divmod(month.month - 1 + i, 12)
        first = d(f"{month.year + year}-{mon + 1:02d}-10")
        patients += [{"patient_id": f"x{i}_{j}", "first_visit_date": first}
                     for j in range(i + 1)]
    db = build_db(tmp_path / "grow.duckdb", patients=patients)
    with read_connection(db) as con:
        params = rd.history_params(MetricParams(as_of=A), A)
        frame = query_view(con, "metric_new_patients_monthly", params)
    # the 24 complete months before August 2026: Aug 2024 .. Jul 2026
    assert frame["month"].to_list()[0] == d("2024-08-01")
    assert frame["count"].to_list() == list(range(1, 25))
    trend = rd.fit_trend(frame["month"].to_list(), frame["count"].to_list())
    # y = 1 + x exactly: slope 1, intercept 1, no scatter
    assert (trend.slope, trend.intercept, trend.slope_se) == pytest.approx((1, 1, 0))
    # threshold 30: 1 + x >= 30 at x = 29 -> Aug 2024 + 29 months = January 2027
    # (the 3-month average now is (22 + 23 + 24) / 3 = 23 < 30)
    crossed = rd.crossing(trend, 23.0, 30)
    assert (crossed.kind, crossed.month, crossed.earliest, crossed.latest) == (
        "month", d("2027-01-01"), d("2027-01-01"), d("2027-01-01"))
    assert "reaches 30 about Jan 2027" in rd.crossing_sentence("New patients a month",
                                                                    trend, crossed, 30)
