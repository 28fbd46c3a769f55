"""Input edges: UTF-16 text loads, a huge bad value gives a short reason, NUL bytes are refused."""

from __future__ import annotations

import csv
import io

from pipelines.ingest import ingest_paths
from pipelines.standard import read_export
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    patient_row,
    procedure_row,
    write_csv,
)


def _csv_text(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _export(folder, patients_text: str | None = None, encoding: str = "utf-8"):
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [procedure_row("X1", "P1")])
    text = patients_text or _csv_text(PATIENT_COLUMNS, [patient_row("P1", "Zoë", "Lee")])
    (folder / "patients.csv").write_bytes(text.encode(encoding))
    return folder


def test_utf16_with_a_byte_order_mark_loads(tmp_path):
    # Excel's "Unicode text" and many Windows tools write UTF-16 LE with a BOM
    result = read_export([_export(tmp_path, encoding="utf-16")], practice_id="p1")
    assert result.frames["patients"]["first_name"].to_list() == ["Zoë"]
    assert not result.rejects


def test_utf16_without_a_byte_order_mark_loads(tmp_path):
    for encoding in ("utf-16-le", "utf-16-be"):
        folder = tmp_path / encoding
        folder.mkdir()
        result = read_export([_export(folder, encoding=encoding)], practice_id="p1")
        assert result.frames["patients"]["first_name"].to_list() == ["Zoë"], encoding


def test_a_huge_bad_value_gives_a_short_reason_that_says_its_length(tmp_path):
    huge = "Z" * 1024**2
    write_csv(tmp_path / "patients.csv", PATIENT_COLUMNS,
              [patient_row("P1", "Ann", "Lee", birth_date=huge)])
    write_csv(tmp_path / "procedures.csv", PROCEDURE_COLUMNS, [procedure_row("X1", "P1")])
    (reject,) = read_export([tmp_path], practice_id="p1").rejects
    # 80 characters quoted, then the length: 1024**2 = 1,048,576
    assert reject.reason == (
        'patients.csv row 2, column birth_date: "' + "Z" * 80 + '…" (1,048,576 characters)'
        " is not a date (expected YYYY-MM-DD or MM/DD/YYYY)"
    )
    assert reject.value == "Z" * 1000 + "…"  # the reject keeps 1,000 characters


def test_nul_bytes_in_text_are_refused_not_stored(tmp_path):
    write_csv(tmp_path / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P1", "An\x00n", "Lee"), patient_row("P2", "Bo", "Ng"),
    ])
    write_csv(tmp_path / "procedures.csv", PROCEDURE_COLUMNS, [procedure_row("X1", "P2")])
    summary = ingest_paths([tmp_path], db=tmp_path / "db.duckdb", practice_id="p1")
    (reject,) = summary.rejects
    assert (reject.row, reject.column) == (2, "first_name")
    assert "NUL character" in reject.reason
    assert "\x00" not in reject.reason
