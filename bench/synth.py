"""A fast vectorised stand-in for `caseboard sample` at group scale (benchmark fallback only).

Writes one standard-format export folder (eight CSV files with a practice_id
column, ids unique across the group) for N practices x M months, one practice
at a time, so memory stays bounded by one practice. The benchmark uses the
project's own generator when it exists and says which one it used.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

CODES = [
    ("D0120", 65), ("D0274", 85), ("D1110", 120), ("D2392", 245), ("D2740", 1250),
    ("D2950", 300), ("D3330", 1150), ("D4341", 280), ("D4910", 150), ("D6010", 2300),
    ("D6065", 1700), ("D7140", 180), ("D7210", 320), ("D8090", 5800), ("D9944", 550),
]
PROCS_PER_MONTH = 1670
PATIENTS_PER_PRACTICE = 2200


def _dates(rng: np.random.Generator, start: date, days: int, n: int) -> np.ndarray:
    base = np.datetime64(start)
    return base + rng.integers(0, days, n).astype("timedelta64[D]")


def _maybe(rng: np.random.Generator, values: np.ndarray, share: float) -> pl.Series:
    keep = rng.random(len(values)) < share
    return pl.Series(values).set(pl.Series(~keep), None) if len(values) else pl.Series(values)


def practice_frames(p: int, months: int, end: date, seed: int) -> dict[str, pl.DataFrame]:
    """The eight tables of practice number ``p``."""
    rng = np.random.default_rng(seed * 1000 + p)
    pid = f"P{p:03d}"
    days = months * 30
    start = end - timedelta(days=days)
    n_pat = PATIENTS_PER_PRACTICE
    patients = pl.DataFrame({
        "patient_id": [f"{pid}-{i}" for i in range(n_pat)],
        "practice_id": pid,
        "first_name": rng.choice(["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay"], n_pat),
        "last_name": rng.choice(["Stone", "Reyes", "Okafor", "Lind", "Moss"], n_pat),
        "phone": [f"555-01{i % 100:02d}" for i in range(n_pat)],
        "email": None,
        "birth_date": _dates(rng, date(1940, 1, 1), 25000, n_pat),
        "status": rng.choice(["active", "inactive", "archived"], n_pat, p=[0.9, 0.08, 0.02]),
        "first_visit_date": _dates(rng, start, days, n_pat),
        "referral_source": rng.choice(["Google", "Insurance", "Patient referral"], n_pat),
    })
    team = pl.DataFrame({
        "member_id": [f"{pid}-T{i}" for i in range(6)],
        "practice_id": pid,
        "name": ["Dr A", "Dr B", "Hyg C", "Hyg D", "TC E", "FD F"],
        "role": ["dentist", "dentist", "hygienist", "hygienist", "coordinator", "front_desk"],
    })
    n_proc = PROCS_PER_MONTH * months
    n_plan = n_proc // 4
    plan_patient = rng.integers(0, n_pat, n_plan)
    plans = pl.DataFrame({
        "plan_id": [f"{pid}-TP{i}" for i in range(n_plan)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in plan_patient],
        "presented_date": _dates(rng, start, days, n_plan),
        "presenter_id": [f"{pid}-T{i}" for i in rng.choice([0, 1, 4], n_plan)],
        "status": rng.choice(["active", "inactive", "saved"], n_plan),
        "signed_date": None,
    })
    code_idx = rng.integers(0, len(CODES), n_proc)
    diagnosed = _dates(rng, start, days, n_proc)
    status = rng.choice(["planned", "completed", "inactive", "existing"], n_proc,
                        p=[0.3, 0.55, 0.1, 0.05])
    sched = diagnosed + rng.integers(0, 60, n_proc).astype("timedelta64[D]")
    plan_of = rng.integers(0, n_plan, n_proc)
    procedures = pl.DataFrame({
        "procedure_id": [f"{pid}-PR{i}" for i in range(n_proc)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in plan_patient[plan_of]],
        "plan_id": [f"{pid}-TP{i}" for i in plan_of],
        "provider_id": [f"{pid}-T{i}" for i in rng.integers(0, 4, n_proc)],
        "code": [CODES[i][0] for i in code_idx],
        "description": None,
        "fee": [f"{CODES[i][1]}.00" for i in code_idx],
        "status": status,
        "diagnosed_date": diagnosed,
        "scheduled_date": _maybe(rng, sched, 0.6),
        "appointment_date": None,
        "completed_date": pl.Series(sched).set(pl.Series(status != "completed"), None),
    })
    n_appt = n_proc // 3
    appointments = pl.DataFrame({
        "appointment_id": [f"{pid}-A{i}" for i in range(n_appt)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in rng.integers(0, n_pat, n_appt)],
        "start": _dates(rng, start, days + 30, n_appt).astype("datetime64[ms]"),
        "status": rng.choice(["scheduled", "completed", "broken"], n_appt),
        "booked_at": None,
        "provider_id": None,
    })
    n_pay = n_proc // 2
    payments = pl.DataFrame({
        "payment_id": [f"{pid}-PY{i}" for i in range(n_pay)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in rng.integers(0, n_pat, n_pay)],
        "date": _dates(rng, start, days, n_pay),
        "amount": [f"{v:.2f}" for v in rng.integers(2000, 90000, n_pay) / 100],
        "source": rng.choice(["patient", "insurance", "financing"], n_pay),
        "method": None,
    })
    n_adj = n_proc // 10
    adjustments = pl.DataFrame({
        "adjustment_id": [f"{pid}-AD{i}" for i in range(n_adj)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in rng.integers(0, n_pat, n_adj)],
        "date": _dates(rng, start, days, n_adj),
        "amount": [f"-{v:.2f}" for v in rng.integers(500, 20000, n_adj) / 100],
        "kind": rng.choice(["insurance_writeoff", "discount", "writeoff"], n_adj),
    })
    n_claim = n_proc // 6
    service = _dates(rng, start, days, n_claim)
    claims = pl.DataFrame({
        "claim_id": [f"{pid}-C{i}" for i in range(n_claim)],
        "practice_id": pid,
        "patient_id": [f"{pid}-{i}" for i in rng.integers(0, n_pat, n_claim)],
        "service_date": service,
        "sent_date": service + 2,
        "status": rng.choice(["sent", "received"], n_claim),
        "billed_amount": [f"{v:.2f}" for v in rng.integers(5000, 200000, n_claim) / 100],
        "estimate_amount": None,
        "paid_amount": None,
        "received_date": None,
    })
    return {
        "patients": patients, "team": team, "treatment_plans": plans, "procedures": procedures,
        "appointments": appointments, "payments": payments, "adjustments": adjustments,
        "claims": claims,
    }


def generate(out: Path, practices: int, months: int, end: date, seed: int = 7) -> dict[str, int]:
    """Write the export to ``out``; return rows per table."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    handles: dict[str, object] = {}
    try:
        for p in range(1, practices + 1):
            for table, frame in practice_frames(p, months, end, seed).items():
                if table not in handles:
                    handles[table] = open(out / f"{table}.csv", "wb")  # noqa: SIM115
                frame.write_csv(handles[table], include_header=p == 1)
                counts[table] = counts.get(table, 0) + frame.height
    finally:
        for handle in handles.values():
            handle.close()
    return counts


def main() -> None:
    """Command line: synth.py --practices N --months M --out DIR."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--practices", type=int, default=1)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    args = parser.parse_args()
    print(generate(args.out, args.practices, args.months, args.end))


if __name__ == "__main__":
    main()
