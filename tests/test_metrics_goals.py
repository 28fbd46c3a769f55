"""Goal progress (spec section 9): actual for the goal's metric and period, progress, status."""

from __future__ import annotations

import pytest

from tests.metric_fixtures import build_db, d, rows

A = d("2026-06-10")  # a Wednesday: June elapsed 10/30 = 0.333; week Mon 06-08 elapsed 3/7


def proc(pid, fee, **extra):
    """A procedure row for patient 1."""
    return {"procedure_id": pid, "patient_id": "1", "code": "D2740", "fee": str(fee), **extra}


@pytest.fixture(scope="module")
def goals(tmp_path_factory):
    path = tmp_path_factory.mktemp("goals") / "g.duckdb"
    db = build_db(
        path,
        patients=[{"patient_id": "1", "first_visit_date": "2026-06-05"},
                  {"patient_id": "2", "first_visit_date": "2026-05-30"}],
        treatment_plans=[{"plan_id": "PL", "patient_id": "1", "presenter_id": "T1",
                          "status": "active"}],
        procedures=[
            proc("p1", 300, status="completed", diagnosed_date="2026-06-05",
                 completed_date="2026-06-05", provider_id="DR"),
            proc("p2", 200, status="completed", diagnosed_date="2026-05-05",
                 completed_date="2026-06-09", provider_id="X"),
            # June cohort: T1's plan 1000 accepted + 1000 not; no plan 500 accepted
            proc("c1", 1000, status="planned", diagnosed_date="2026-06-02", plan_id="PL",
                 scheduled_date="2026-06-03"),
            proc("c2", 1000, status="planned", diagnosed_date="2026-06-02", plan_id="PL"),
            proc("c3", 500, status="planned", diagnosed_date="2026-06-02",
                 scheduled_date="2026-06-02"),
        ],
        payments=[{"payment_id": "1", "patient_id": "1", "date": "2026-06-09", "amount": "100",
                   "source": "patient"},
                  {"payment_id": "2", "patient_id": "1", "date": "2026-06-01", "amount": "40",
                   "source": "patient"}],
        goals=[
            {"goal_id": 1, "metric": "gross_production", "target": 1400, "period": "month"},
            {"goal_id": 2, "metric": "gross_production", "target": 1000, "period": "month",
             "member_id": "DR"},
            {"goal_id": 3, "metric": "collections", "target": 200, "period": "week"},
            {"goal_id": 4, "metric": "acceptance_rate_amount", "target": 0.6, "period": "month",
             "member_id": "T1"},
            {"goal_id": 5, "metric": "acceptance_rate_amount", "target": 0.5, "period": "month"},
            {"goal_id": 6, "metric": "unscheduled_amount", "target": 2000, "period": "month"},
            {"goal_id": 7, "metric": "new_patients", "target": 2, "period": "month"},
            {"goal_id": 8, "metric": "no_such_metric", "target": 1, "period": "month"},
            {"goal_id": 9, "metric": "gross_production", "target": 100, "period": "month",
             "practice_id": "P2"},
            {"goal_id": 10, "metric": "accepted_amount", "target": 3000, "period": "month"},
        ],
    )
    return {r["goal_id"]: r for r in rows(db, "metric_goal_progress", as_of=A)}


def _check(row, actual, progress, status):
    assert row["actual"] == pytest.approx(actual)
    if progress is None:
        assert row["progress"] is None
    else:
        assert row["progress"] == pytest.approx(progress)
    assert row["status"] == status


def test_production_goals(goals):
    # June to A: p1 300 + p2 200 = 500; 500 / 1400 = 0.357 >= 10/30 elapsed
    _check(goals[1], 500, 500 / 1400, "on track")
    # provider DR: 300 / 1000 = 0.3 < 0.333
    _check(goals[2], 300, 0.3, "behind")
    # another practice: nothing
    _check(goals[9], 0, 0, "behind")


def test_collections_week_goal(goals):
    # week of Mon 06-08: payment of 06-09 only (06-01 is the week before): 100 / 200 = 0.5 >= 3/7
    _check(goals[3], 100, 0.5, "on track")


def test_acceptance_goals(goals):
    # presenter T1: accepted 1000 of 2000 = 0.5; 0.5 / 0.6 = 0.833 < 1 -> behind
    _check(goals[4], 0.5, 0.5 / 0.6, "behind")
    # all: p1 (300, done the day diagnosed) joins the cohort: (1000 + 500 + 300) / (2500 + 300)
    # = 1800 / 2800 = 0.642857; / 0.5 = 1.2857 -> on track
    _check(goals[5], 1800 / 2800, 1800 / 2800 / 0.5, "on track")
    # accepted amount 1800 / 3000 = 0.6 >= 0.333
    _check(goals[10], 1800, 0.6, "on track")


def test_unscheduled_lower_is_better(goals):
    # c2 1000 unscheduled as of A; an at-most goal: progress = actual / target = 1000 / 2000
    # = 0.5, on track while 1000 <= 2000 (spec section 9)
    _check(goals[6], 1000, 0.5, "on track")
    assert goals[6]["direction"] == "at most"


def test_new_patients_and_unknown(goals):
    # patient 1 first visit 06-05 (patient 2's is in May): 1 / 2 = 0.5 >= 0.333
    _check(goals[7], 1, 0.5, "on track")
    assert goals[8]["actual"] is None and goals[8]["status"] == "no data"
    assert (goals[7]["metric"], goals[7]["period"]) == ("new_patients", "month")
