"""Case acceptance (spec section 1) on tiny hand-built data."""

from __future__ import annotations

import pytest

from tests.metric_fixtures import build_db, by_month, d, rows

A = d("2026-06-30")
RANGE = {"as_of": A, "month_from": d("2026-01-01"), "month_to": d("2026-06-01")}


def proc(pid, fee, diagnosed, *, code="D2740", status="planned", patient="1", **extra):
    """A procedure row."""
    return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": str(fee),
            "status": status, "diagnosed_date": diagnosed, **extra}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("acceptance") / "a.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "1"}, {"patient_id": "2"}],
        team=[{"member_id": "T1", "name": "Dana Coordinator", "role": "coordinator"},
              {"member_id": "DR", "name": "Dr Who", "role": "dentist"}],
        treatment_plans=[
            {"plan_id": "PL1", "patient_id": "1", "presented_date": "2026-01-02",
             "presenter_id": "T1", "status": "active"},
            {"plan_id": "PL2", "patient_id": "2", "presented_date": "2026-01-02",
             "status": "active"},
        ],
        procedures=[
            # January 2026, diagnosed 2026-01-02.
            # W1: scheduled day 90 (2026-04-02) -> accepted; W2: scheduled day 91 -> not.
            proc("W1", 1000, "2026-01-02", scheduled_date="2026-04-02", plan_id="PL1",
                 provider_id="DR"),
            proc("W2", 3000, "2026-01-02", scheduled_date="2026-04-03", plan_id="PL1",
                 provider_id="DR"),
            # E1: scheduled 2026-03-01, completed earlier 2026-01-10 -> accepted_date 01-10, day 8
            proc("E1", 400, "2026-01-02", status="completed", code="D3330",
                 scheduled_date="2026-03-01", completed_date="2026-01-10", plan_id="PL2"),
            # S1: same day (completed on the diagnosed date), no plan
            proc("S1", 250, "2026-01-02", status="completed", code="D4341", patient="2",
                 completed_date="2026-01-02"),
            # left out by default: D0/D1, D9986; never counted: deleted/existing/referred/condition
            proc("N1", 80, "2026-01-02", code="D0150", status="completed",
                 completed_date="2026-01-02"),
            proc("N2", 60, "2026-01-02", code="D1110", status="completed",
                 completed_date="2026-01-20"),
            proc("N3", 50, "2026-01-02", code="D9986", status="completed",
                 completed_date="2026-01-02"),
            proc("X1", 999, "2026-01-02", status="deleted", completed_date="2026-01-02"),
            proc("X2", 999, "2026-01-02", status="existing", completed_date="2026-01-02"),
            proc("X3", 999, "2026-01-02", status="referred"),
            proc("X4", 999, "2026-01-02", status="condition"),
            # removed by a later --full load
            proc("R1", 777, "2026-01-02", removed_batch_id=2),
            # May 2026: immature (May 31 + 90 > A); declined (inactive) still diagnosed
            proc("M1", 600, "2026-05-04", status="inactive", patient="2"),
            proc("M2", 5000, "2026-05-04", patient="2", scheduled_date="2026-05-05"),
            # June 2026 after A: nothing (diagnosed 2026-07-01 is after A)
            proc("F1", 100, "2026-07-01"),
        ],
    )


def test_monthly_window_boundary_and_earliest_date(db):
    jan = by_month(db, "metric_acceptance_monthly", **RANGE)["2026-01"]
    # diagnosed: W1 1000 + W2 3000 + E1 400 + S1 250 = 4650 (4 procedures)
    assert (jan["diagnosed_count"], jan["diagnosed_amount"]) == (4, 4650)
    # accepted: W1 (day 90) 1000 + E1 (completed day 8 wins over scheduled) 400 + S1 250 = 1650
    assert (jan["accepted_count"], jan["accepted_amount"]) == (3, 1650)
    assert jan["rate_amount"] == pytest.approx(1650 / 4650)
    assert jan["rate_count"] == pytest.approx(3 / 4)
    assert (jan["same_day_count"], jan["same_day_amount"]) == (1, 250)
    # Jan 31 + 90 days = May 1 <= 2026-06-30
    assert jan["mature"] is True


def test_window_is_configurable(db):
    jan = by_month(db, "metric_acceptance_monthly", window_days=91, **RANGE)["2026-01"]
    # with W = 91, W2 (day 91) is accepted too: 1650 + 3000 = 4650
    assert jan["accepted_amount"] == 4650


def test_immature_and_empty_months(db):
    months = by_month(db, "metric_acceptance_monthly", **RANGE)
    may = months["2026-05"]
    # M1 600 (inactive) + M2 5000; M2 accepted the next day
    assert (may["diagnosed_amount"], may["accepted_amount"]) == (5600, 5000)
    assert may["mature"] is False  # May 31 + 90 = Aug 29 > A
    feb = months["2026-02"]
    # empty month: zeros, NULL rates, maturity by the date rule (Feb 28 + 90 = May 29 <= A)
    assert (feb["diagnosed_count"], feb["diagnosed_amount"], feb["rate_amount"]) == (0, 0, None)
    assert feb["mature"] is True
    assert months["2026-03"]["mature"] is True  # Mar 31 + 90 = Jun 29 <= Jun 30
    assert months["2026-04"]["mature"] is False  # Apr 30 + 90 = Jul 29
    assert months["2026-06"]["diagnosed_count"] == 0  # F1 is after A


def test_all_codes_puts_d0_d1_and_missed_codes_back(db):
    jan = by_month(db, "metric_acceptance_monthly", all_codes=True, **RANGE)["2026-01"]
    # + N1 80 (same day) + N2 60 (day 18) + N3 50 (same day) = 4650 + 190 = 4840
    assert (jan["diagnosed_count"], jan["diagnosed_amount"]) == (7, 4840)
    assert (jan["accepted_count"], jan["accepted_amount"]) == (6, 1840)
    assert (jan["same_day_count"], jan["same_day_amount"]) == (3, 380)  # 250 + 80 + 50


def test_as_of_before_acceptance(db):
    # A = 2026-01-05: E1 completed 01-10 is after A -> not accepted; only S1 (same day)
    jan = by_month(db, "metric_acceptance_monthly", as_of=d("2026-01-05"),
                   month_from=d("2026-01-01"), month_to=d("2026-01-01"))["2026-01"]
    assert (jan["accepted_count"], jan["accepted_amount"]) == (1, 250)


def test_weekly(db):
    weeks = {r["week_start"]: r for r in rows(
        db, "metric_acceptance_weekly", as_of=A, week_from=d("2025-12-29"),
        week_to=d("2026-05-04"))}
    # 2026-01-02 is a Friday: week of Monday 2025-12-29; same numbers as January
    first = weeks[d("2025-12-29")]
    assert (first["diagnosed_amount"], first["accepted_amount"]) == (4650, 1650)
    assert first["mature"] is True  # Sunday 2026-01-04 + 90 <= A
    last = weeks[d("2026-05-04")]
    assert (last["diagnosed_amount"], last["mature"]) == (5600, False)
    assert len(weeks) == 19  # 2025-12-29 .. 2026-05-04 is 18 weeks later


def test_cases_any_and_all(db):
    cases = by_month(db, "metric_acceptance_cases", **RANGE)
    # January: PL1 (W1 accepted, W2 not: partial), PL2 (E1: full), patient 2 on 01-02 (S1: full)
    assert cases["2026-01"] == {"month": d("2026-01-01"), "case_count": 3,
                                "accepted_cases": 3, "fully_accepted_cases": 2}
    # May: patient 2 on 05-04 without plan: M1 declined + M2 accepted = partial
    assert (cases["2026-05"]["case_count"], cases["2026-05"]["accepted_cases"],
            cases["2026-05"]["fully_accepted_cases"]) == (1, 1, 0)


def _breakdown(db, dimension, **params):
    found = rows(db, "metric_acceptance_breakdown", **{**RANGE, **params})
    return {r["label"]: (r["diagnosed_amount"], r["accepted_amount"])
            for r in found if r["dimension"] == dimension}


def test_breakdown_presenter_provider(db):
    # PL1 presented by T1 (Dana): W1 + W2; PL2 has no presenter and the rest no plan
    assert _breakdown(db, "presenter") == {
        "Dana Coordinator": (4000, 1000),
        "Unassigned": (400 + 250 + 600 + 5000, 400 + 250 + 5000),
    }
    assert _breakdown(db, "provider") == {
        "Dr Who": (4000, 1000), "Unassigned": (6250, 5650)}


def test_breakdown_category_and_case_size(db):
    assert _breakdown(db, "category") == {
        "Restorative": (1000 + 3000 + 600 + 5000, 1000 + 5000),  # D2740: W1 W2 M1 M2
        "Endodontics": (400, 400),  # D3330: E1
        "Periodontics": (250, 250),  # D4341: S1
    }
    labels = {r["label"] for r in rows(db, "metric_acceptance_breakdown", all_codes=True, **RANGE)
              if r["dimension"] == "category"}
    assert {"Diagnostic", "Preventive", "Adjunctive"} <= labels  # D0150, D1110, D9986
    sizes = _breakdown(db, "case_size")
    # case fees: PL1 4000 -> $2,000-4,999; PL2 400 and patient 2 on 01-02 (S1) 250 -> < $500;
    # patient 2 on 05-04 (M1 600 + M2 5000 = 5600) -> >= $5,000
    assert sizes == {"$2,000-4,999": (4000, 1000), "< $500": (650, 650),
                     ">= $5,000": (5600, 5000)}


def test_time_to_acceptance_curve(db):
    curve = {(r["month"].month, r["days"]): r for r in rows(
        db, "metric_time_to_acceptance", **RANGE)}
    jan = {days: curve[(1, days)]["accepted_amount"] for days in (0, 7, 14, 30, 60, 90)}
    # S1 day 0 (250); E1 day 8 (400); W1 day 90 (1000); W2 day 91 never within 90
    assert jan == {0: 250, 7: 250, 14: 650, 30: 650, 60: 650, 90: 1650}
    assert curve[(1, 90)]["share_amount"] == pytest.approx(1650 / 4650)
    assert curve[(2, 0)]["share_amount"] is None  # nothing diagnosed in February
    assert curve[(5, 0)]["accepted_amount"] == 0 and curve[(5, 7)]["accepted_amount"] == 5000
