"""Unscheduled treatment, its aging, worklist and breakdown (spec section 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.metric_fixtures import build_db, d, one, rows

A = d("2026-06-30")


def planned(pid, patient, fee, age_days, *, code="D2740", status="planned", **extra):
    """A procedure diagnosed ``age_days`` before A."""
    diagnosed = A - dt.timedelta(days=age_days)
    return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": str(fee),
            "status": status, "diagnosed_date": diagnosed, **extra}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("unscheduled") / "u.duckdb"
    return build_db(
        path,
        patients=[
            {"patient_id": "1", "first_name": "Ann", "last_name": "Lee", "phone": "555-0101"},
            {"patient_id": "2", "first_name": "Bob", "last_name": "Ng", "phone": "555-0102",
             "status": "inactive"},
            {"patient_id": "3", "first_name": "Cy", "status": "deceased"},
            {"patient_id": "4", "first_name": "Di", "status": "archived"},
        ],
        team=[{"member_id": "DR", "name": "Dr Who", "role": "dentist"}],
        procedures=[
            # patient 1: bucket edges 30 | 31, 90 | 91
            planned("a", "1", 100, 30, provider_id="DR"),
            planned("b", "1", 200, 31, provider_id="DR"),
            planned("c", "1", 300, 90, code="D3330"),
            planned("e", "1", 400, 91, code="D3330"),
            # scheduled after A: still unscheduled as of A (no window here)
            planned("f", "1", 50, 5, code="D1110", scheduled_date="2026-07-02"),
            # scheduled on A: accepted by A -> not unscheduled
            planned("g", "1", 999, 5, scheduled_date="2026-06-30"),
            # declined (inactive): beside, not in
            planned("h", "1", 700, 10, status="inactive"),
            # a completed visit for last_visit_date; a D9986 later does not count as a visit
            planned("v", "1", 80, 40, status="completed", code="D1110",
                    completed_date="2026-05-21"),
            planned("w", "1", 0, 3, status="completed", code="D9986",
                    completed_date="2026-06-27"),
            # patient 2: edges 180 | 181, 365 | 366
            planned("i", "2", 10, 180),
            planned("j", "2", 20, 181),
            planned("k", "2", 30, 365),
            planned("m", "2", 40, 366),
            # diagnosed after A: not yet
            planned("n", "2", 5000, -1),
            # deceased and archived patients: left out, declined too
            planned("p", "3", 900, 10),
            planned("q", "4", 900, 10, status="inactive"),
            # removed row
            planned("r", "1", 900, 10, removed_batch_id=2),
        ],
        appointments=[
            {"appointment_id": "1", "patient_id": "1", "start": "2026-06-30 15:00",
             "status": "scheduled"},  # on A itself: not "next"
            {"appointment_id": "2", "patient_id": "1", "start": "2026-07-01 09:00",
             "status": "broken"},
            {"appointment_id": "3", "patient_id": "1", "start": "2026-07-20 10:30",
             "status": "scheduled"},
            {"appointment_id": "4", "patient_id": "1", "start": "2026-07-10 08:00",
             "status": "scheduled"},
        ],
    )


def test_totals(db):
    u = one(db, "metric_unscheduled", as_of=A)
    # patient 1: a 100 + b 200 + c 300 + e 400 + f 50 = 1050 (5); patient 2: 10+20+30+40 = 100 (4)
    assert u == {"total_amount": 1150, "procedure_count": 9, "patient_count": 2,
                 "declined_amount": 700, "declined_procedure_count": 1,
                 "declined_patient_count": 1}


def test_aging_bucket_edges(db):
    aging = {r["bucket"]: (r["amount"], r["procedure_count"]) for r in rows(
        db, "metric_unscheduled_aging", as_of=A)}
    assert aging == {
        "0-30": (100 + 50, 2),  # a (30 days), f (5)
        "31-90": (200 + 300, 2),  # b (31), c (90)
        "91-180": (400 + 10, 2),  # e (91), i (180)
        "181-365": (20 + 30, 2),  # j (181), k (365)
        "365+": (40, 1),  # m (366)
    }
    assert [r["sort_order"] for r in rows(db, "metric_unscheduled_aging", as_of=A)] == [
        1, 2, 3, 4, 5]


def test_worklist(db):
    first, second = rows(db, "metric_unscheduled_worklist", as_of=A)
    assert (first["patient_id"], first["first_name"], first["last_name"], first["phone"]) == (
        "1", "Ann", "Lee", "555-0101")
    assert (first["amount"], first["procedure_count"]) == (1050, 5)
    assert first["oldest_diagnosed_date"] == d("2026-03-31")  # e: A - 91 days
    assert first["last_visit_date"] == d("2026-05-21")  # v; the D9986 on 06-27 is no visit
    # the earliest scheduled appointment starting after A's day (not the broken one)
    assert first["next_appointment"] == dt.datetime(2026, 7, 10, 8, 0)
    assert first["declined_amount"] == 700
    assert first["providers"] == "Dr Who, Unassigned"
    assert first["codes"] == "D1110, D2740, D3330"
    assert (second["patient_id"], second["amount"], second["next_appointment"]) == ("2", 100, None)


def test_breakdown_by_category_and_provider(db):
    found = {(r["category"], r["provider_name"]): (r["amount"], r["procedure_count"])
             for r in rows(db, "metric_unscheduled_breakdown", as_of=A)}
    assert found == {
        ("Restorative", "Dr Who"): (300, 2),  # a 100 + b 200
        ("Endodontics", "Unassigned"): (700, 2),  # c 300 + e 400
        ("Preventive", "Unassigned"): (50, 1),  # f
        ("Restorative", "Unassigned"): (100, 4),  # i + j + k + m
    }


def test_earlier_as_of(db):
    # A' = 2026-06-01: a (diagnosed 05-31), b, c, e and patient 2's are diagnosed by then; f, g
    # (diagnosed 06-25) are not; the aging shifts by 29 days
    u = one(db, "metric_unscheduled", as_of=d("2026-06-01"))
    assert (u["total_amount"], u["procedure_count"]) == (100 + 200 + 300 + 400 + 100, 8)


def test_largest_cases_are_ten_biggest_amounts_ties_by_patient(tmp_path):
    # patients 01..12 owe 100, 200, ..., 1200; patient 13 also owes 300 (ties with 03);
    # patient 14 only declined (amount 0): never a "largest unscheduled case"
    procedures = [planned(f"p{i}", f"{i:02d}", 100 * i, 10) for i in range(1, 13)]
    procedures += [planned("t", "13", 300, 10),
                   planned("z", "14", 5000, 10, status="inactive")]
    db = build_db(tmp_path / "largest.duckdb",
                  patients=[{"patient_id": f"{i:02d}"} for i in range(1, 15)],
                  procedures=procedures)
    largest = rows(db, "metric_unscheduled_largest", as_of=A)
    # 1200..400 are nine patients (12..04); the tenth is the lower id of the 300 tie: 03
    assert [(r["patient_id"], r["amount"]) for r in largest] == [
        (f"{i:02d}", 100 * i) for i in range(12, 3, -1)] + [("03", 300)]
