"""One practice's view keeps whole-case totals when a case spans two practices, and goals
keep their own practice whatever practice the session shows."""

from __future__ import annotations

import pytest

from tests.metric_fixtures import build_db, by_month, d, one, rows

A = d("2026-03-31")
RANGE = {"as_of": A, "month_from": d("2026-02-01"), "month_to": d("2026-03-01")}


def proc(practice, pid, fee, diagnosed, **extra):
    """A planned D2740 of patient 1 in source S1."""
    return {"practice_id": practice, "procedure_id": pid, "patient_id": "1",
            "code": "D2740", "fee": str(fee), "status": "planned",
            "diagnosed_date": diagnosed, **extra}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("scope") / "s.duckdb"
    return build_db(
        path,
        patients=[{"practice_id": "P1", "patient_id": "1", "status": "active"}],
        treatment_plans=[{"plan_id": "PL", "patient_id": "1", "status": "active"}],
        procedures=[
            # plan PL spans two practices: 300 at P1 (March) and 400 at P2 (February)
            proc("P1", "10", 300, "2026-03-10", plan_id="PL"),
            proc("P2", "11", 400, "2026-02-20", plan_id="PL"),
            # a one-practice case without a plan: patient 1 at P1 on 2026-03-10
            proc("P1", "12", 100, "2026-03-10"),
        ],
        goals=[{"goal_id": "1", "metric": "diagnosed_amount", "target": "1000",
                "period": "month", "practice_id": None, "member_id": None}],
    )


def sizes(db, practice):
    """The case-size breakdown of one practice: label -> diagnosed amount."""
    return {r["label"]: r["diagnosed_amount"] for r in rows(
        db, "metric_acceptance_breakdown", practice_id=practice, **RANGE)
        if r["dimension"] == "case_size"}


def test_case_size_counts_the_other_practices_share_of_the_case(db):
    # PL's fee is 300 + 400 = 700 (band $500-1,999) for both practices' procedures;
    # P1's plan-less case is 100 (< $500). Filtering P1 before the case totals would
    # have made PL 300 and put all of P1's 400 under < $500.
    assert sizes(db, "P1") == {"$500-1,999": 300, "< $500": 100}
    assert sizes(db, "P2") == {"$500-1,999": 400}
    assert sizes(db, None) == {"$500-1,999": 300 + 400, "< $500": 100}


def test_a_case_starts_in_its_earliest_month_whatever_practice_is_shown(db):
    p1 = by_month(db, "metric_acceptance_cases", practice_id="P1", **RANGE)
    # PL starts 2026-02-20 (at P2), so P1's PL is a February case; the plan-less case is March
    assert (p1["2026-02"]["case_count"], p1["2026-03"]["case_count"]) == (1, 1)
    everyone = by_month(db, "metric_acceptance_cases", **RANGE)
    # PL is one case (in February) for all practices: 1 + 0, and the plan-less case: 1
    assert (everyone["2026-02"]["case_count"], everyone["2026-03"]["case_count"]) == (1, 1)


def test_a_goal_for_all_practices_ignores_the_practice_shown(db):
    # March (A's month) diagnosed up to A over every practice: 300 + 100 (P2's 400 is
    # February), the same whether the session shows P2 or all practices
    shown_p2 = one(db, "metric_goal_progress", practice_id="P2", **RANGE)
    shown_all = one(db, "metric_goal_progress", **RANGE)
    assert shown_p2["actual"] == shown_all["actual"] == 400
