"""A load with bad rows never puts a patient's name, phone or email in logs or messages."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from pipelines.ingest import ingest_paths
from pipelines.model import ExportRefused
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    ROOT,
    patient_row,
    procedure_row,
    write_csv,
)

NAME, LAST, PHONE, EMAIL = "Zorblaxia", "Quimbletonne", "555-867-5309", "zq.secret@example.org"
TOKENS = (NAME, LAST, "867-5309", "8675309", EMAIL)


def _bad_rows_export(folder):
    """Patient P1 carries the tokens and a bad birth date; P2 a bad status; P3 duplicated."""
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P1", NAME, LAST, phone=PHONE, email=EMAIL, birth_date="1990-02-30"),
        patient_row("P2", NAME + "Two", LAST, status="bogus", phone=PHONE),
        patient_row("P3", NAME + "Dup", LAST, email=EMAIL),
        patient_row("P3", NAME + "Dup2", LAST, email=EMAIL),
        patient_row("P4", "Ann", "Lee"),
    ])
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row("X1", "P1", description=NAME), procedure_row("X2", "P4", fee="12x"),
    ])
    return folder


def _ragged_export(folder):
    """A patients row with more fields than the header, holding the tokens."""
    _bad_rows_export(folder)
    with open(folder / "patients.csv", "a", encoding="utf-8") as handle:
        handle.write(f"P9,p1,{NAME},{LAST},{PHONE},{EMAIL},,active,,,extra,{NAME}\n")
    return folder


def _undecodable_export(folder):
    """A patients file that is not text at all, after a row holding the tokens."""
    _bad_rows_export(folder)
    with open(folder / "patients.csv", "ab") as handle:
        handle.write(f"P9,p1,{NAME},{LAST},{PHONE},{EMAIL},,active,,\n".encode() + b"\x81\x8d\x00")
    return folder


def _missing_column_export(folder):
    _bad_rows_export(folder)
    text = (folder / "patients.csv").read_text().replace("last_name", "surname")
    (folder / "patients.csv").write_text(text)
    return folder


@pytest.mark.parametrize(
    "make",
    [
        _bad_rows_export,
        _ragged_export,
        _undecodable_export,
        _missing_column_export,
    ],
)
def test_cli_output_never_holds_names_phones_or_emails(tmp_path, make):
    export = make(tmp_path / "export")
    done = subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "ingest", str(export),
         "--db", str(tmp_path / "db.duckdb"), "--practice", "p1"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode in (0, 1), output
    assert "Traceback" not in output
    assert [t for t in TOKENS if t in output] == [], output
    if done.returncode == 0:
        rejects = subprocess.run(
            [sys.executable, "-m", "caseboard.cli", "rejects", "--db", str(tmp_path / "db.duckdb")],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )
        listing = rejects.stdout + rejects.stderr
        assert [t for t in TOKENS if t in listing] == [], listing
        # the offending values are shown so the export can be fixed: date, status, fee, key
        for value in ("1990-02-30", "bogus", "12x", "P3"):
            assert value in listing


def test_no_log_record_holds_patient_data(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    for index, make in enumerate((_bad_rows_export, _ragged_export, _undecodable_export)):
        export = make(tmp_path / f"export{index}")
        try:
            ingest_paths([export], db=tmp_path / "db.duckdb", practice_id="p1")
        except ExportRefused:
            pass
    logged = "\n".join(caplog.text.splitlines())
    assert [t for t in TOKENS if t in logged] == []


def test_mysql_password_never_printed(tmp_path):
    secret = "Secr3tPw9x"
    done = subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "ingest",
         f"mysql://od:{secret}@127.0.0.1:1/opendental", "--db", str(tmp_path / "db.duckdb")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "cannot connect" in done.stderr  # a clear reason, port 1 refuses
    assert secret not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
