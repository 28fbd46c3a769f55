"""Every "must accept" row of data-format.md, each with a tiny hand-written file."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import polars as pl
import pytest

from pipelines.ingest import ingest_paths
from pipelines.standard import read_export, sniff_delimiter

PROC_HEADER = "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"


def read(export, practice="A"):
    return read_export([export.folder], practice_id=practice)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(export, delimiter):
    patients = "patient_id,first_name,last_name\n1001,Ann,Lee\n".replace(",", delimiter)
    export.minimal(patients=patients)
    result = read(export)
    assert result.frames["patients"].select("patient_id", "first_name", "last_name").rows() == [
        ("1001", "Ann", "Lee")
    ]
    assert result.rejects == []


def test_sniffer_ignores_delimiters_inside_quotes():
    # 2 commas outside quotes, the semicolons are inside a quoted header name
    assert sniff_delimiter('"a;b;c;d",x,y') == ","


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
)
def test_encodings_are_detected(export, encoding, bom):
    text = "Patient ID,First Name,Last Name\n1001,José,Müller–Ørsted\n"
    export.minimal()
    (export.folder / "patients.csv").write_bytes(bom + text.encode(encoding))
    result = read(export)
    assert result.frames["patients"].select("patient_id", "first_name", "last_name").rows() == [
        ("1001", "José", "Müller–Ørsted")
    ]


def test_header_names_case_spaces_dashes_underscores(export):
    export.minimal(patients="PATIENT-ID;First  Name;last_NAME;Practice Id\n1001;Ann;Lee;B\n")
    result = read(export)
    assert result.frames["patients"].select(
        "patient_id", "first_name", "last_name", "practice_id"
    ).rows() == [("1001", "Ann", "Lee", "B")]


def test_extra_columns_are_ignored_and_reported(export):
    export.minimal(patients="patient_id,first_name,last_name,Shoe Size\n1001,Ann,Lee,42\n")
    result = read(export)
    assert "Shoe Size" not in result.frames["patients"].columns
    assert result.notes == ["patients.csv: extra columns ignored: Shoe Size"]
    assert result.rejects == []


def test_dates_iso_us_short_us_and_datetimes(export):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D0120,10,completed,2025-06-01,06/02/2025\n"
        "P2,1001,D0120,10,completed,6/3/2025,2025-06-04 14:30:00\n"
        "P3,1001,D0120,10,completed,06/05/2025 2:30 PM,2025-06-06T08:00:00\n"
    ))
    frame = read(export).frames["procedures"]
    assert frame.select("procedure_id", "diagnosed_date", "completed_date").rows() == [
        ("P1", dt.date(2025, 6, 1), dt.date(2025, 6, 2)),
        ("P2", dt.date(2025, 6, 3), dt.date(2025, 6, 4)),
        ("P3", dt.date(2025, 6, 5), dt.date(2025, 6, 6)),
    ]


def test_day_and_month_are_never_swapped(export):
    # 01/05/2025 is January 5 (US order), never 1 May
    export.minimal(procedures=PROC_HEADER + "P1,1001,D0120,10,planned,01/05/2025,\n")
    assert read(export).frames["procedures"].item(0, "diagnosed_date") == dt.date(2025, 1, 5)


def test_datetimes_keep_their_time(export):
    export.minimal()
    export.write("appointments.csv", (
        "appointment_id,patient_id,start,status,booked_at\n"
        "A1,1001,2025-06-01 14:30,scheduled,5/20/2025 9:05 AM\n"
        "A2,1001,6/1/2025 12:15 PM,completed,2025-05-20\n"
        "A3,1001,6/1/2025 12:15 AM,broken,\n"
    ))
    frame = read(export).frames["appointments"]
    assert frame.select("appointment_id", "start", "booked_at").rows() == [
        ("A1", dt.datetime(2025, 6, 1, 14, 30), dt.datetime(2025, 5, 20, 9, 5)),
        ("A2", dt.datetime(2025, 6, 1, 12, 15), dt.datetime(2025, 5, 20, 0, 0)),
        ("A3", dt.datetime(2025, 6, 1, 0, 15), None),  # 12:15 AM is a quarter past midnight
    ]


def test_amount_formats(export):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D0120,1234.5,planned,2025-06-01,\n"
        'P2,1001,D0120,"1,234.50",planned,2025-06-01,\n'
        'P3,1001,D0120,"$1,234.50",planned,2025-06-01,\n'
        "P4,1001,D0120,-12.00,planned,2025-06-01,\n"
        "P5,1001,D0120,(12.00),planned,2025-06-01,\n"
        "P6,1001,D0120,$0.1234,planned,2025-06-01,\n"
        "P7,1001,D0120,-$5,planned,2025-06-01,\n"
    ))
    result = read(export)
    assert result.rejects == []
    assert result.frames["procedures"].schema["fee"] == pl.Decimal(18, 4)
    assert result.frames["procedures"].get_column("fee").to_list() == [
        Decimal("1234.5"), Decimal("1234.50"), Decimal("1234.50"),
        Decimal("-12.00"), Decimal("-12.00"), Decimal("0.1234"), Decimal("-5"),
    ]


def test_empty_cells_are_null(export):
    export.minimal(
        patients='patient_id,first_name,last_name,phone,email,status\n1001,Ann,Lee,,"",  \n'
    )
    frame = read(export).frames["patients"]
    assert frame.select("phone", "email", "status", "birth_date").rows() == [
        (None, None, None, None)
    ]


def test_header_only_file_is_a_valid_empty_table(export):
    export.minimal()
    export.write("payments.csv", "payment_id,patient_id,date,amount,source\n")
    result = read(export)
    assert result.frames["payments"].height == 0
    assert result.read_counts["payments"] == 0
    assert result.frames["payments"].schema["amount"] == pl.Decimal(18, 4)


def test_txt_xlsx_and_parquet_files(export):
    export.write("patients.txt", "patient_id\tfirst_name\tlast_name\n1001\tAnn\tLee\n")
    pl.DataFrame({
        "Procedure ID": ["P1"], "patient_id": [1001], "code": ["D2740"], "fee": [1234.5],
        "status": ["Completed"], "diagnosed_date": [dt.date(2025, 6, 1)],
        "completed_date": [dt.datetime(2025, 6, 2, 9, 30)],
    }).write_excel(export.folder / "procedures.xlsx")
    pl.DataFrame({
        "payment_id": ["Y1"], "patient_id": ["1001"], "date": [dt.date(2025, 6, 3)],
        "amount": [Decimal("-20.25")], "source": ["insurance"],
    }).write_parquet(export.folder / "payments.parquet")
    result = read(export)
    assert result.rejects == []
    assert result.frames["patients"].select("patient_id", "last_name").rows() == [("1001", "Lee")]
    assert result.frames["procedures"].select(
        "procedure_id", "patient_id", "fee", "status", "diagnosed_date", "completed_date"
    ).rows() == [("P1", "1001", Decimal("1234.5"), "completed", dt.date(2025, 6, 1),
                  dt.date(2025, 6, 2))]
    assert result.frames["payments"].select("date", "amount").rows() == [
        (dt.date(2025, 6, 3), Decimal("-20.25"))
    ]


def test_enum_values_match_case_insensitively(export):
    export.minimal(patients="patient_id,first_name,last_name,status\n1001,Ann,Lee,InActive\n")
    export.write("team.csv", "member_id,name,role\nT1,Dr Who,Office Manager\n")
    result = read(export)
    assert result.frames["patients"].item(0, "status") == "inactive"
    assert result.frames["team"].item(0, "role") == "office_manager"


def test_individual_files_and_a_zip_of_a_folder(export, tmp_path):
    export.minimal()
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(export.folder / "patients.csv", "practice/patients.csv")
        zf.write(export.folder / "procedures.csv", "practice/procedures.csv")
    from_zip = ingest_paths([archive], db=tmp_path / "z.duckdb", practice_id="A")
    from_files = ingest_paths(
        [export.folder / "patients.csv", export.folder / "procedures.csv"],
        db=tmp_path / "f.duckdb", practice_id="A",
    )
    # PATIENTS has 2 rows and PROCEDURES 2 rows, all valid
    expected = {"patients": {"read": 2, "loaded": 2, "quarantined": 0},
                "procedures": {"read": 2, "loaded": 2, "quarantined": 0}}
    assert from_zip.tables == expected
    assert from_files.tables == expected


def test_practice_id_from_file_wins_and_empty_cells_take_the_given_one(export):
    export.minimal(patients=(
        "patient_id,practice_id,first_name,last_name\n1001,north,Ann,Lee\n1002,,Bob,Ray\n"
    ))
    frame = read(export, practice="south").frames["patients"]
    assert frame.select("patient_id", "practice_id").rows() == [
        ("1001", "north"), ("1002", "south")
    ]


def test_rows_are_numbered_and_checked_across_batches(export, monkeypatch):
    # 5 data rows in batches of 2 (parquet) so rows 2-3, 4-5 and 6 arrive apart;
    # the duplicate P1 (rows 2 and 6) is found across batches; row 5 has a bad date
    monkeypatch.setattr("pipelines.standard.BATCH_ROWS", 2)
    export.minimal()
    (export.folder / "procedures.csv").unlink()
    pl.DataFrame({
        "procedure_id": ["P1", "P2", "P3", "P4", "P1"],
        "patient_id": ["1001"] * 5, "code": ["D0120"] * 5, "fee": ["10"] * 5,
        "status": ["planned"] * 5,
        "diagnosed_date": ["2025-01-01", "2025-01-02", "2025-01-03", "2025-13-01", "2025-01-05"],
    }).write_parquet(export.folder / "procedures.parquet")
    result = read(export)
    assert result.frames["procedures"].get_column("procedure_id").to_list() == ["P2", "P3"]
    assert result.row_numbers["procedures"].to_list() == [3, 4]
    assert [(r.row, r.column) for r in result.rejects] == [
        (2, "procedure_id"), (5, "diagnosed_date"), (6, "procedure_id")
    ]
    assert result.read_counts["procedures"] == 5


def test_csv_rows_are_numbered_across_blocks(export, monkeypatch):
    # 4 KB blocks: 400 rows of ~30 bytes span 3 blocks; row 401 (the 400th data row) is bad
    monkeypatch.setattr("pipelines.standard.CSV_BLOCK_BYTES", 4096)
    lines = [f"P{i},1001,D0120,10,planned,2025-01-01,\n" for i in range(399)]
    lines.append("P399,1001,D0120,10,planned,someday,\n")
    export.minimal(procedures=PROC_HEADER + "".join(lines))
    result = read(export)
    assert result.frames["procedures"].height == 399
    assert [(r.row, r.key) for r in result.rejects] == [(401, "P399")]
