"""The worked example at the end of ../shared/spec/metrics.md, every number in it."""

from __future__ import annotations

import pytest

from caseboard.metrics import MetricParams, metrics_json
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db, by_month, d, one, rows

A = d("2026-03-31")
FULL_YEAR = {"as_of": A, "month_from": d("2026-01-01"), "month_to": d("2026-03-01")}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("worked") / "example.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "P1", "first_name": "Ann", "status": "active"}],
        procedures=[
            {"procedure_id": "X1", "patient_id": "P1", "code": "D2740", "fee": "1200",
             "status": "completed", "diagnosed_date": "2026-01-05",
             "scheduled_date": "2026-01-20", "completed_date": "2026-02-10"},
            {"procedure_id": "X2", "patient_id": "P1", "code": "D0150", "fee": "100",
             "status": "completed", "diagnosed_date": "2026-01-05",
             "completed_date": "2026-01-05"},
            {"procedure_id": "X3", "patient_id": "P1", "code": "D3330", "fee": "1000",
             "status": "planned", "diagnosed_date": "2026-01-05"},
            {"procedure_id": "X4", "patient_id": "P1", "code": "D2392", "fee": "200",
             "status": "planned", "diagnosed_date": "2026-01-05",
             "scheduled_date": "2026-04-10"},
        ],
        payments=[
            {"payment_id": "M1", "patient_id": "P1", "date": "2026-01-05", "amount": "100",
             "source": "patient"},
            {"payment_id": "M2", "patient_id": "P1", "date": "2026-03-15", "amount": "500",
             "source": "patient"},
        ],
    )


def test_acceptance_january_default_codes(db):
    jan = by_month(db, "metric_acceptance_monthly", **FULL_YEAR)["2026-01"]
    # diagnosed X1 + X3 + X4 = 1200 + 1000 + 200 = 2400 (X2 is D0, left out)
    assert (jan["diagnosed_count"], jan["diagnosed_amount"]) == (3, 2400)
    # accepted: X1 only (2026-01-20 is 15 days after diagnosis); X4's 2026-04-10 is after A
    assert (jan["accepted_count"], jan["accepted_amount"]) == (1, 1200)
    assert jan["rate_amount"] == pytest.approx(1200 / 2400)  # 0.5
    assert round(jan["rate_count"], 4) == 0.3333  # 1 / 3
    assert jan["mature"] is False  # Jan 31 + 90 days = May 1, after A


def test_acceptance_january_all_codes(db):
    jan = by_month(db, "metric_acceptance_monthly", all_codes=True, **FULL_YEAR)["2026-01"]
    # diagnosed 2400 + X2 100 = 2500; accepted X1 1200 + X2 100 (same day) = 1300
    assert (jan["diagnosed_amount"], jan["accepted_amount"]) == (2500, 1300)
    assert jan["rate_amount"] == pytest.approx(0.52)  # 1300 / 2500
    assert jan["rate_count"] == pytest.approx(0.5)  # 2 / 4
    assert (jan["same_day_count"], jan["same_day_amount"]) == (1, 100)


def test_unscheduled_as_of_a(db):
    u = one(db, "metric_unscheduled", as_of=A)
    # X3 1000 + X4 200 (scheduled after A, so still unscheduled as of A)
    assert (u["total_amount"], u["procedure_count"], u["patient_count"]) == (1200, 2, 1)
    aging = {r["bucket"]: r["amount"] for r in rows(db, "metric_unscheduled_aging", as_of=A)}
    # A - 2026-01-05 = 26 (Jan) + 28 (Feb) + 31 (Mar) = 85 days -> 31-90
    assert aging == {"0-30": 0, "31-90": 1200, "91-180": 0, "181-365": 0, "365+": 0}


def test_production_and_collections(db):
    months = by_month(db, "metric_production_monthly", **FULL_YEAR)
    assert [months[m]["gross_production"] for m in ("2026-01", "2026-02", "2026-03")] == [
        100, 1200, 0]
    assert [months[m]["collections"] for m in ("2026-01", "2026-02", "2026-03")] == [
        100, 0, 500]
    # January 100 / 100 = 1.0; February 0 / 1200 = 0.0; March net 0 -> NULL
    assert [months[m]["collection_rate"] for m in ("2026-01", "2026-02", "2026-03")] == [
        1.0, 0.0, None]


def test_ar_aging(db):
    ar = one(db, "metric_ar_aging", as_of=A)
    # credits 100 + 500 = 600 pay X2 (100, Jan 5) then 500 of X1 (1200, Feb 10):
    # 700 of X1 remains, A - Feb 10 = 18 + 31 = 49 days -> 31-60
    assert ar == {"ar_0_30": 0, "ar_31_60": 700, "ar_61_90": 0, "ar_91_plus": 0,
                  "total": 700, "credit_balances": 0}


def test_json_object(db):
    with read_connection(db) as con:
        out = metrics_json(con, MetricParams(as_of=A))
    assert out["as_of"] == "2026-03-31"
    # default range: the 12 months ending with A's month
    assert [m["month"] for m in out["acceptance"]["months"]][0] == "2025-04"
    assert len(out["acceptance"]["months"]) == 12
    jan = next(m for m in out["acceptance"]["months"] if m["month"] == "2026-01")
    assert jan == {"month": "2026-01", "diagnosed_count": 3, "diagnosed_amount": 2400.0,
                   "accepted_count": 1, "accepted_amount": 1200.0, "rate_count": 0.3333,
                   "rate_amount": 0.5, "mature": False}
    assert out["unscheduled"]["aging"]["31-90"] == 1200.0
    assert out["ar_aging"]["31-60"] == 700.0
    prod = {m["month"]: m["collection_rate"] for m in out["production"]["months"]}
    assert (prod["2026-01"], prod["2026-02"], prod["2026-03"]) == (1.0, 0.0, None)



def test_payback(db):
    # A = 2026-05-01: basis Aug 2025 - Jan 2026, D = 2,400 / 6 = 400, r = 0.5, c = 1;
    # May 2025 - Apr 2026: gross 1,300, net 1,300 (n = 1), collections 600 (k = 0.4615);
    # G = 400 x 0.2 x 1 x 1 x 0.4615 x 0.86 = 31.75; cost 1,000; net -968.25;
    # break-even 0.5 + 1,000 / 158.77 = 6.7984
    with read_connection(db) as con:
        out = metrics_json(con, MetricParams(as_of=d("2026-05-01"), coordinator_cost=12000,
                                             target_rate=0.7))
    assert out["readiness"]["payback"] == {
        "monthly_diagnosed": 400.0, "current_rate": 0.5, "completion_share": 1.0,
        "net_share": 1.0, "collection_rate": 0.4615, "variable_cost_share": 0.14,
        "monthly_gain": 31.75, "monthly_cost": 1000.0, "monthly_net": -968.25,
        "break_even_rate": 6.7984, "pays_for_itself": False,
    }


def test_equal_age_week_and_month(db):
    # A = 2026-01-25, --age 3: the week of Mon 01-05 (Sun 01-11) counts X1 only if accepted
    # by 01-11 + 3 = 01-14; it was accepted 01-20, so diagnosed 2,400, accepted 0. January
    # (last day 01-31, cap 02-03) counts X1: accepted 1,200.
    with read_connection(db) as con:
        doc = metrics_json(con, MetricParams(as_of=d("2026-01-25"), age_days=3,
                                             month_from=d("2026-01-01")))
    assert doc["age_days"] == 3
    week = next(w for w in doc["acceptance"]["weeks"] if w["week"] == "2026-01-05")
    assert (week["diagnosed_amount"], week["accepted_amount"]) == (2400.0, 0.0)
    (jan,) = doc["acceptance"]["months"]
    assert (jan["diagnosed_amount"], jan["accepted_amount"]) == (2400.0, 1200.0)
