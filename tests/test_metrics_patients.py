"""New patients, active patients and readiness (spec sections 2, 3, 8)."""

from __future__ import annotations

import pytest

from tests.metric_fixtures import build_db, by_month, d, one, rows

A = d("2026-08-31")


def done(pid, patient, completed, code="D2140", status="completed"):
    """A completed procedure row (diagnosed the day it was done)."""
    return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": "100",
            "status": status, "diagnosed_date": completed, "completed_date": completed}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("patients") / "p.duckdb"
    return build_db(
        path,
        patients=[
            # recorded first visit wins over the derived one (procedure 2026-01-05)
            {"patient_id": "rec", "first_visit_date": "2026-07-10", "referral_source": "Google"},
            # derived: earliest completed procedure, D9986 (missed) on 2026-06-01 ignored -> 06-15
            {"patient_id": "der", "referral_source": "Google"},
            # died later: still new in their first-visit month, never active
            {"patient_id": "dead", "status": "deceased", "first_visit_date": "2026-07-01"},
            # prospective and nonpatient: never new, never active
            {"patient_id": "pros", "status": "prospective", "first_visit_date": "2026-07-02"},
            {"patient_id": "nonp", "status": "nonpatient", "first_visit_date": "2026-07-03"},
            # inactive status with a recent completed procedure: active; first visit in August
            {"patient_id": "inact", "status": "inactive", "first_visit_date": "2026-08-31"},
            # no first visit at all: never new; only an existing-status row with a date
            {"patient_id": "none"},
            # 18-month edge: completed 2025-02-28 (out: interval is open) / 2025-03-01 (in)
            {"patient_id": "edge_out", "first_visit_date": "2020-01-01"},
            {"patient_id": "edge_in", "first_visit_date": "2020-01-01"},
            # archived: not active
            {"patient_id": "arch", "status": "archived", "first_visit_date": "2020-01-01"},
            # other practice (same source): filtered by the patient's practice
            {"patient_id": "other", "practice_id": "P2", "first_visit_date": "2026-05-20",
             "referral_source": "Friend"},
            # removed by a later --full load
            {"patient_id": "gone", "first_visit_date": "2026-07-04", "removed_batch_id": 2},
        ],
        procedures=[
            done("r1", "rec", "2026-01-05"),
            done("d0", "der", "2026-06-01", code="D9986"),
            done("d1", "der", "2026-06-15"),
            done("x1", "dead", "2026-07-01"),
            done("p1", "pros", "2026-07-02"),
            done("i1", "inact", "2026-08-31"),
            done("n1", "none", "2026-08-01", status="existing"),
            done("eo", "edge_out", "2025-02-28"),
            done("ei", "edge_in", "2025-03-01"),
            done("a1", "arch", "2026-08-01"),
            done("o1", "other", "2026-05-20"),
            # a missed-appointment code alone never makes a patient active
            done("m1", "edge_out", "2026-08-15", code="D9987"),
        ],
    )


RANGE = {"as_of": A, "month_from": d("2026-05-01"), "month_to": d("2026-08-01")}


def test_new_patients_monthly(db):
    months = by_month(db, "metric_new_patients_monthly", **RANGE)
    counts = {m: r["count"] for m, r in months.items()}
    # May: other (P2); June: der (derived 06-15); July: rec (recorded), dead; August: inact
    assert counts == {"2026-05": 1, "2026-06": 1, "2026-07": 2, "2026-08": 1}
    # August's avg_3m = (May 1 + Jun 1 + Jul 2) / 3 = 4 / 3
    assert months["2026-08"]["avg_3m"] == pytest.approx(4 / 3)
    # May's: Feb, Mar, Apr hold no first visits -> 0
    assert months["2026-05"]["avg_3m"] == 0


def test_new_patients_practice_filter_by_patient(db):
    counts = {m: r["count"] for m, r in by_month(
        db, "metric_new_patients_monthly", practice_id="P1", **RANGE).items()}
    assert counts == {"2026-05": 0, "2026-06": 1, "2026-07": 2, "2026-08": 1}


def test_new_patients_weekly_and_referral(db):
    weeks = {r["week_start"]: r["count"] for r in rows(
        db, "metric_new_patients_weekly", as_of=A, week_from=d("2026-06-29"),
        week_to=d("2026-07-06"))}
    # week of Mon 06-29: dead (07-01); week of 07-06: rec (07-10)
    assert weeks == {d("2026-06-29"): 1, d("2026-07-06"): 1}
    referral = {r["referral_source"]: r["count"] for r in rows(
        db, "metric_new_patients_by_referral", **RANGE)}
    # rec + der = Google 2; other = Friend 1; dead and inact have none -> Unknown 2
    assert referral == {"Google": 2, "Friend": 1, "Unknown": 2}


def test_active_patients_18_month_clamp(db):
    # (2026-08-31 - 18 months, A] = (2025-02-28, 2026-08-31]
    # active: rec (2026-01-05), der (06-15), inact (08-31), edge_in (2025-03-01), other (P2)
    # not: edge_out (2025-02-28 on the open end; its D9987 does not count), dead, pros,
    # arch, none (existing status only)
    assert one(db, "metric_active_patients", as_of=A)["active_patients"] == 5
    assert one(db, "metric_active_patients", as_of=A, practice_id="P1")["active_patients"] == 4
    # 12 months: (2025-08-31, A] drops edge_in -> 4
    assert one(db, "metric_active_patients", as_of=A, active_months=12)["active_patients"] == 4


def test_active_patients_monthly(db):
    months = by_month(db, "metric_active_patients_monthly", as_of=d("2026-08-15"),
                      month_from=d("2026-05-01"), month_to=d("2026-09-01"))
    series = {m: r["active_patients"] for m, r in months.items()}
    # May 31, window (2024-11-30, 2026-05-31]: rec, edge_in, edge_out (2025-02-28), other -> 4;
    # Jun 30: + der -> 5; Jul 31: 5 (dead/pros never); Aug: as of A 2026-08-15, window
    # (2025-02-15, 2026-08-15] still holds edge_out, inact's 08-31 is after A -> 5;
    # September is after A -> 0
    assert series == {"2026-05": 4, "2026-06": 5, "2026-07": 5, "2026-08": 5, "2026-09": 0}


def test_readiness(db):
    r = one(db, "metric_readiness", as_of=A)
    # active 5; new in May, June, July (months before A's month) = 1 + 1 + 2 = 4 -> 4 / 3
    assert r["active_patients"] == 5
    assert r["new_patients_avg_3m"] == pytest.approx(4 / 3)
    assert r["ready"] is False
    # thresholds: active >= 5 and the exact average 1.333... >= 1
    assert one(db, "metric_readiness", as_of=A, ready_active=5, ready_new=1)["ready"] is True
    # 4 / 3 < 2 (no rounding up): not ready
    assert one(db, "metric_readiness", as_of=A, ready_active=5, ready_new=2)["ready"] is False
