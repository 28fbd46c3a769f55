"""A tiny hand-built practice for the weekly review and report tests (figures worked out in
tests/report/test_report.py and tests/dashboard/test_weekly.py).

Practice P1 (source S1); the report week is Mon 2026-10-05 .. Sun 2026-10-11 and the
data's as-of date A is 2026-10-30 (the newest event: X3's scheduled date). Practice P2 (source S2)
is a second, smaller practice for the several-practices layout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from caseboard.storage import write_connection

WEEK = dt.date(2026, 10, 7)
MONDAY = dt.date(2026, 10, 5)
AS_OF = dt.date(2026, 10, 30)

# This week (Mon 10-05 .. Sun 10-11), worked out by hand:
# diagnosed X1 1200 + X2 1000 + X3 200 = 2400 (X5 is D0150: left out of acceptance);
# accepted X1 (scheduled 10-06) + X3 (scheduled 10-30 <= A, within 90 days) = 1400;
# rate 1400 / 2400 = 0.58333; gross production X1 1200 + X5 100 = 1300; collections M1 500;
# new patients: Alice (first visit 10-05) = 1;
# unscheduled on Sun 10-11: X2 1000 + X3 200 (scheduled after 10-11) + X4 3000 = 4200.
THIS_WEEK = {
    "diagnosed_amount": 2400.0, "accepted_amount": 1400.0, "rate_amount": 1400 / 2400,
    "gross_production": 1300.0, "collections": 500.0, "new_patients": 1.0,
    "unscheduled_amount": 4200.0, "ar_91_plus": 0.0, "claims_over_30": 0.0,
}
# Last week (Mon 09-28): diagnosed X4 3000, nothing accepted; production X6 800 (completed
# 09-30); collections M2 800; new patients Maria (09-29) = 1; unscheduled on Sun 10-04: X4 3000.
LAST_WEEK = {
    "diagnosed_amount": 3000.0, "accepted_amount": 0.0, "rate_amount": 0.0,
    "gross_production": 800.0, "collections": 800.0, "new_patients": 1.0,
    "unscheduled_amount": 3000.0,
}
# The 4 weeks before (09-07 .. 09-28): diagnosed X4 3000 + X6 800 = 3800 -> 950 a week;
# accepted X6 800 -> 200; rate pooled 800 / 3800; production 800 -> 200; collections
# 800 -> 200; new patients 1 -> 0.25; unscheduled on the 4 Sundays 3000, 0, 0, 0 -> 750.
AVERAGE = {
    "diagnosed_amount": 950.0, "accepted_amount": 200.0, "rate_amount": 800 / 3800,
    "gross_production": 200.0, "collections": 200.0, "new_patients": 0.25,
    "unscheduled_amount": 750.0,
}

BOOKKEEPING = {"batch_id": 1, "row_hash": 0, "removed_batch_id": None}

PATIENTS = [
    {"source_id": "S1", "practice_id": "P1", "patient_id": "1", "first_name": "Alice",
     "last_name": "Johnson", "status": "active", "first_visit_date": "2026-10-05"},
    {"source_id": "S1", "practice_id": "P1", "patient_id": "2", "first_name": "Robert",
     "last_name": "Smith", "status": "active", "first_visit_date": "2025-01-10"},
    {"source_id": "S1", "practice_id": "P1", "patient_id": "3", "first_name": "Maria",
     "last_name": "Garcia", "status": "active", "first_visit_date": "2026-09-29"},
    {"source_id": "S2", "practice_id": "P2", "patient_id": "1", "first_name": "Oscar",
     "last_name": "Wilde", "status": "active", "first_visit_date": "2024-03-01"},
]


def _proc(pid, patient, code, fee, status, diagnosed, scheduled=None, completed=None,
          source="S1", practice="P1"):
    return {"source_id": source, "practice_id": practice, "procedure_id": pid,
            "patient_id": patient, "provider_id": "DR1", "code": code, "fee": fee,
            "status": status, "diagnosed_date": diagnosed, "scheduled_date": scheduled,
            "completed_date": completed}


PROCEDURES = [
    _proc("X1", "1", "D2740", "1200", "completed", "2026-10-05", "2026-10-06", "2026-10-08"),
    _proc("X2", "2", "D3330", "1000", "planned", "2026-10-06"),
    _proc("X3", "2", "D2392", "200", "planned", "2026-10-07", "2026-10-30"),
    _proc("X4", "3", "D6010", "3000", "planned", "2026-09-29"),
    _proc("X5", "1", "D0150", "100", "completed", "2026-10-05", None, "2026-10-05"),
    _proc("X6", "3", "D2750", "800", "completed", "2026-09-22", "2026-09-23", "2026-09-30"),
    _proc("Y1", "1", "D2740", "900", "planned", "2026-10-06", source="S2", practice="P2"),
]

PAYMENTS = [
    {"source_id": "S1", "practice_id": "P1", "payment_id": "M1", "patient_id": "1",
     "date": "2026-10-07", "amount": "500", "source": "patient"},
    {"source_id": "S1", "practice_id": "P1", "payment_id": "M2", "patient_id": "3",
     "date": "2026-10-01", "amount": "800", "source": "insurance"},
    {"source_id": "S1", "practice_id": "P1", "payment_id": "M3", "patient_id": "1",
     "date": "2026-10-20", "amount": "100", "source": "patient"},
]

TEAM = [{"source_id": "S1", "practice_id": "P1", "member_id": "DR1", "name": "Dr. Lee",
         "role": "dentist"}]

INSERTS = {
    "patients": "insert into raw_patients by name select * from frame",
    "procedures": "insert into raw_procedures by name select * from frame",
    "payments": "insert into raw_payments by name select * from frame",
    "team": "insert into raw_team by name select * from frame",
}
# Weekly goals for P1: accepted $2,000 and 1 new patient.
GOALS = (
    "insert into goals (metric, target, period, practice_id, member_id) values "
    "('accepted_amount', 2000, 'week', 'P1', null), ('new_patients', 1, 'week', 'P1', null)"
)
LOAD = (
    "insert into loads values (1, 'S1', 'standard', ['P1', 'P2'], true, "
    "timestamp '2026-10-31 07:30:00', timestamp '2026-10-31 07:31:15', '[]', '{}', false)"
)


def _frame(rows: list[dict]) -> pl.DataFrame:
    full = [{**BOOKKEEPING, **row} for row in rows]
    columns = list(dict.fromkeys(name for row in full for name in row))
    return pl.DataFrame(
        [{c: None if row.get(c) is None else str(row[c]) for c in columns} for row in full],
        schema={c: pl.Utf8 for c in columns}, orient="row",
    )


def build(path: Path, practices: set[str]) -> Path:
    """Write the fixture rows of ``practices`` into a new database at ``path``."""
    tables = {"patients": PATIENTS, "procedures": PROCEDURES, "payments": PAYMENTS, "team": TEAM}
    with write_connection(path) as con:
        for table, rows in tables.items():
            con.register("frame", _frame([r for r in rows if r["practice_id"] in practices]))
            con.execute(INSERTS[table])
            con.unregister("frame")
        con.execute(LOAD)
        con.execute(GOALS)
    return path
