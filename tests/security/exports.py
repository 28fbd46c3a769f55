"""Tiny standard exports written on the fly for the security tests."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]

PATIENT_COLUMNS = [
    "patient_id", "practice_id", "first_name", "last_name", "phone", "email", "birth_date",
    "status", "first_visit_date", "referral_source",
]
PROCEDURE_COLUMNS = [
    "procedure_id", "practice_id", "patient_id", "plan_id", "provider_id", "code", "description",
    "fee", "status", "diagnosed_date", "scheduled_date", "appointment_date", "completed_date",
]


def patient_row(patient_id: str, first: str, last: str, **extra: str) -> list[str]:
    """One patients.csv row in PATIENT_COLUMNS order (blank where not given)."""
    values = {"patient_id": patient_id, "practice_id": "p1", "first_name": first,
              "last_name": last, "status": "active", **extra}
    return [values.get(c, "") for c in PATIENT_COLUMNS]


def procedure_row(
    procedure_id: str, patient_id: str, fee: str = "1000.00", **extra: str
) -> list[str]:
    """One procedures.csv row in PROCEDURE_COLUMNS order (planned D2740 diagnosed 2026-01-05)."""
    values = {"procedure_id": procedure_id, "practice_id": "p1", "patient_id": patient_id,
              "code": "D2740", "fee": fee, "status": "planned", "diagnosed_date": "2026-01-05",
              **extra}
    return [values.get(c, "") for c in PROCEDURE_COLUMNS]

def write_csv(path: Path, columns: list[str], rows: list[list[object]]) -> Path:
    """Write one CSV file with a header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def write_export(folder: Path, patients: int, procedures_each: int = 2, tag: str = "a") -> Path:
    """An export of ``patients`` patients with ``procedures_each`` planned D2740 at 1000.00 each."""
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [
        patient_row(f"P{i}", f"First{tag}{i}", f"Last{tag}{i}") for i in range(patients)
    ])
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row(f"X{i}-{j}", f"P{i}") for i in range(patients) for j in range(procedures_each)
    ])
    return folder


def load_command(folder: Path, db: Path, source: str = "s1") -> list[str]:
    """The real `caseboard ingest` command line for one load."""
    return [
        sys.executable, "-m", "caseboard.cli", "ingest", str(folder), "--db", str(db),
        "--practice", "p1", "--source", source,
    ]


def run_load(
    folder: Path, db: Path, source: str = "s1", timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run one load in a subprocess and return it (stdout/stderr captured as text)."""
    return subprocess.run(
        load_command(folder, db, source), capture_output=True, text=True, timeout=timeout,
        cwd=ROOT,
    )


VOLATILE = {"loads": ("started_at", "finished_at")}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every base table's rows, sorted (load timestamps left out), read read-only; tables
    outside the main schema (the precomputed results) are named schema.table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.sql(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by table_schema, table_name"
        ).fetchall()
        state = {}
        for schema, table in tables:
            columns = [r[0] for r in con.sql(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                params=[schema, table],
            ).fetchall() if r[0] not in VOLATILE.get(table, ())]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = con.sql(
                f'select {listed} from "{schema}"."{table}"'  # noqa: S608 - catalog names
            ).fetchall()
            name = table if schema == "main" else f"{schema}.{table}"
            state[name] = sorted(rows, key=repr)
        return state
    finally:
        con.close()
