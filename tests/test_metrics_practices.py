"""Two practices and two sources reusing ids, removed rows, default as-of, practice list."""

from __future__ import annotations

import pytest

from caseboard.metrics import MetricParams, MetricsError, query_view, resolve_params
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db, by_month, d, one, rows

A = d("2026-03-31")
RANGE = {"as_of": A, "month_from": d("2026-03-01"), "month_to": d("2026-03-01")}


def proc(source, practice, pid, patient, fee, status="planned", **extra):
    """A procedure diagnosed 2026-03-02."""
    return {"source_id": source, "practice_id": practice, "procedure_id": pid,
            "patient_id": patient, "code": "D2740", "fee": str(fee), "status": status,
            "diagnosed_date": "2026-03-02", **extra}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("practices") / "p.duckdb"
    # Source S1 holds practices P1 and P2; source S2 (another database) holds P3 and reuses
    # patient id "1", procedure id "10", plan id "PL" and member id "M".
    return build_db(
        path,
        patients=[
            {"source_id": "S1", "practice_id": "P1", "patient_id": "1", "status": "active"},
            {"source_id": "S1", "practice_id": "P2", "patient_id": "2"},
            {"source_id": "S2", "practice_id": "P3", "patient_id": "1", "status": "deceased"},
            {"source_id": "S2", "practice_id": "P3", "patient_id": "9", "removed_batch_id": 3},
        ],
        team=[{"source_id": "S1", "member_id": "M", "name": "Tess"},
              {"source_id": "S2", "practice_id": "P3", "member_id": "M", "name": "Uma"}],
        treatment_plans=[
            {"source_id": "S1", "plan_id": "PL", "patient_id": "1", "presenter_id": "M",
             "status": "active"},
            {"source_id": "S2", "practice_id": "P3", "plan_id": "PL", "patient_id": "1",
             "status": "active"},
        ],
        procedures=[
            proc("S1", "P1", "10", "1", 1000, plan_id="PL", scheduled_date="2026-03-05"),
            proc("S1", "P2", "11", "2", 300),
            # S2's patient 1 is deceased: their planned treatment is not unscheduled, while
            # S1's patient 1 (same id) is active and theirs is
            proc("S2", "P3", "10", "1", 5000, plan_id="PL"),
            proc("S1", "P1", "12", "1", 400),
            # removed by a later full load of S2
            proc("S2", "P3", "13", "1", 777, removed_batch_id=3),
            proc("S2", "P3", "14", "1", 50, status="completed", completed_date="2026-03-31",
                 removed_batch_id=3),
        ],
        payments=[{"source_id": "S2", "practice_id": "P3", "payment_id": "1",
                   "patient_id": "1", "date": "2026-03-20", "amount": "70",
                   "source": "patient"}],
    )


def test_all_practices_never_mix_sources(db):
    mar = by_month(db, "metric_acceptance_monthly", **RANGE)["2026-03"]
    # S1/10 1000 (accepted) + S1/11 300 + S1/12 400 + S2/10 5000 = 6700
    assert (mar["diagnosed_count"], mar["diagnosed_amount"], mar["accepted_amount"]) == (
        4, 6700, 1000)
    presenters = {r["label"]: r["diagnosed_amount"] for r in rows(
        db, "metric_acceptance_breakdown", **RANGE) if r["dimension"] == "presenter"}
    # S1's plan PL has presenter M = Tess (S1's M, not S2's Uma); S2's PL has none
    assert presenters == {"Tess": 1000, "Unassigned": 300 + 400 + 5000}
    cases = by_month(db, "metric_acceptance_cases", **RANGE)["2026-03"]
    # S1:PL, S2:PL (same plan id, two cases), S1 patient 1 on 03-02 (12), S1 patient 2 (11)
    assert cases["case_count"] == 4


def test_unscheduled_uses_each_sources_patient(db):
    u = one(db, "metric_unscheduled", **RANGE)
    # S1/11 300 + S1/12 400; S2/10 belongs to S2's deceased patient 1
    assert (u["total_amount"], u["patient_count"]) == (700, 2)


def test_practice_filter(db):
    p1 = by_month(db, "metric_acceptance_monthly", practice_id="P1", **RANGE)["2026-03"]
    assert p1["diagnosed_amount"] == 1400  # 1000 + 400
    p3 = by_month(db, "metric_acceptance_monthly", practice_id="P3", **RANGE)["2026-03"]
    assert p3["diagnosed_amount"] == 5000  # 13 was removed
    assert one(db, "metric_active_patients", practice_id="P3", as_of=A)["active_patients"] == 0
    prod = by_month(db, "metric_production_monthly", practice_id="P3", **RANGE)["2026-03"]
    assert (prod["gross_production"], prod["collections"]) == (0, 70)  # 14 was removed
    ar = one(db, "metric_ar_aging", practice_id="P3", as_of=A)
    assert (ar["total"], ar["credit_balances"]) == (0, 70)


def test_practice_list_and_default_as_of(db):
    practices = rows(db, "metric_practices")
    assert practices == [
        {"practice_id": "P1", "source_id": "S1", "patient_count": 1},
        {"practice_id": "P2", "source_id": "S1", "patient_count": 1},
        {"practice_id": "P3", "source_id": "S2", "patient_count": 1},  # 9 was removed
    ]
    with read_connection(db) as con:
        # newest event: payment 03-20, scheduled 03-05; the removed 03-31 completion is gone
        assert resolve_params(con, MetricParams()).as_of == d("2026-03-20")
        with pytest.raises(MetricsError):
            query_view(con, "stg_patients; drop table goals", MetricParams())
        with pytest.raises(MetricsError):
            query_view(con, "raw_patients", MetricParams())


def test_views_work_without_apply_params(db):
    # a fresh read-only connection with no variables set: int_params supplies the defaults
    # (A = newest event 2026-03-20, W = 90, all practices, 12 months ending with A's month)
    with read_connection(db) as con:
        months = con.sql(
            "select month, diagnosed_amount from metric_acceptance_monthly").fetchall()
    assert len(months) == 12
    assert months[-1] == (d("2026-03-01"), 6700)  # 1000 + 300 + 400 + 5000
