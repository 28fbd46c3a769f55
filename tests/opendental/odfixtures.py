"""Hand-built Open Dental rows in Open Dental's real column names and conventions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipelines.opendental import read_folder
from pipelines.opendental_sample import write_folder

TODAY = dt.date(2025, 6, 1)
BLANK = "0001-01-01"
BLANK_DT = "0001-01-01 00:00:00"


def patient(num: int, **values: object) -> dict:
    """A patient row with Open Dental's defaults (blank dates, empty phones, a fake SSN)."""
    return {
        "PatNum": num,
        "LName": f"Last{num}",
        "FName": f"First{num}",
        "PatStatus": 0,
        "Birthdate": BLANK,
        "HmPhone": "",
        "WkPhone": "",
        "WirelessPhone": "",
        "Email": "",
        "ClinicNum": 0,
        "SSN": "999-12-3456",
        "DateFirstVisit": BLANK,
    } | values


def procedure(num: int, pat: int = 1, **values: object) -> dict:
    """A procedurelog row: treatment-planned crown by default."""
    return {
        "ProcNum": num,
        "PatNum": pat,
        "AptNum": 0,
        "ProcDate": BLANK,
        "ProcFee": 100.0,
        "ProcStatus": 1,
        "ProvNum": 1,
        "ClinicNum": 0,
        "CodeNum": 1,
        "UnitQty": 1,
        "BaseUnits": 0,
        "DateTP": "2025-01-10",
        "PlannedAptNum": 0,
    } | values


def appointment(num: int, pat: int = 1, **values: object) -> dict:
    """An appointment row: scheduled by default."""
    return {
        "AptNum": num,
        "PatNum": pat,
        "AptStatus": 1,
        "AptDateTime": "2025-02-01 09:00:00",
        "ProvNum": 1,
        "ClinicNum": 0,
        "SecDateTEntry": "2025-01-12 10:30:00",
        "Note": "",
    } | values


CODES = [
    {"CodeNum": 1, "ProcCode": "D2740", "Descript": "Crown - porcelain/ceramic"},
    {"CodeNum": 2, "ProcCode": "D9986", "Descript": "Missed appointment"},
    {"CodeNum": 3, "ProcCode": "D0150", "Descript": "Comprehensive oral evaluation"},
]


def tables(**extra: list[dict]) -> dict[str, list[dict]]:
    """One active patient and the procedure codes, plus the given tables."""
    base: dict[str, list[dict]] = {
        "patient": [patient(1)],
        "procedurecode": list(CODES),
        "procedurelog": [procedure(1)],
    }
    return base | extra


def read(rows: dict[str, list[dict]], folder: Path, *, tab: bool = False, practice=None):
    """Write the rows as an export folder and read it back with the adapter."""
    write_folder(rows, folder, tab=tab)
    return read_folder(folder, practice_id=practice, today=TODAY)


def by_id(frame, key: str) -> dict[str, dict]:
    """Rows of a frame keyed by one column."""
    return {row[key]: row for row in frame.iter_rows(named=True)}
