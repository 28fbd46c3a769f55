"""Every "must refuse" row of data-format.md: precise messages, quarantine, whole refusals."""

from __future__ import annotations

import json

import pytest

from pipelines.ingest import ingest_paths
from pipelines.model import ExportRefused
from pipelines.standard import read_export

PROC_HEADER = "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"


def read(export, practice="A"):
    return read_export([export.folder], practice_id=practice)


def reasons(result):
    return [r.reason for r in result.rejects]


def test_missing_required_column_refuses_the_whole_load_and_changes_nothing(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    before = db.read_bytes()
    export.write("procedures.csv", "procedure_id,patient_id,code,status,diagnosed_date\n"
                                   "P9,1001,D0120,planned,2025-01-01\n")
    with pytest.raises(ExportRefused) as refusal:
        ingest_paths([export.folder], db=db, practice_id="A")
    assert [r.reason for r in refusal.value.rejects] == [
        "procedures.csv row 1: required column fee is missing"
    ]
    assert db.read_bytes() == before
    assert query(db, "select count(*) from loads") == [(1,)]


def test_missing_required_table_refuses_the_whole_load(export, db):
    export.write("patients.csv", "patient_id,first_name,last_name\n1001,Ann,Lee\n")
    with pytest.raises(ExportRefused) as refusal:
        ingest_paths([export.folder], db=db, practice_id="A")
    assert "required table procedures is missing" in str(refusal.value)
    assert not db.exists()


def test_missing_practice_without_practice_option_refuses_the_whole_load(export):
    export.minimal()
    with pytest.raises(ExportRefused) as refusal:
        read(export, practice=None)
    assert str(refusal.value) == (
        "patients.csv has no practice_id column: give the practice with --practice ID"
    )


def test_unparseable_and_impossible_dates_name_file_row_column_value(export):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D0120,10,planned,2025-01-01,\n"   # row 2: fine
        "P2,1001,D0120,10,planned,2025-02-30,\n"   # row 3: no Feb 30
        "P3,1001,D0120,10,planned,6/31/2025,\n"    # row 4: no June 31
        "P4,1001,D0120,10,planned,31/01/2025,\n"   # row 5: day first is not accepted
        "P5,1001,D0120,10,planned,yesterday,\n"    # row 6
    ))
    result = read(export)
    assert result.frames["procedures"].get_column("procedure_id").to_list() == ["P1"]
    expected = "is not a date (expected YYYY-MM-DD or MM/DD/YYYY)"
    assert reasons(result) == [
        f'procedures.csv row 3, column diagnosed_date: "2025-02-30" {expected}',
        f'procedures.csv row 4, column diagnosed_date: "6/31/2025" {expected}',
        f'procedures.csv row 5, column diagnosed_date: "31/01/2025" {expected}',
        f'procedures.csv row 6, column diagnosed_date: "yesterday" {expected}',
    ]
    first = result.rejects[0]
    assert (first.table, first.file, first.row, first.key, first.column, first.value) == (
        "procedures", "procedures.csv", 3, "P2", "diagnosed_date", "2025-02-30"
    )
    assert first.row_data["diagnosed_date"] == "2025-02-30"


def test_unparseable_amounts(export):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D0120,12.00001,planned,2025-01-01,\n"   # 5 decimals
        'P2,1001,D0120,"12,34",planned,2025-01-01,\n'    # comma decimal: never guessed
        "P3,1001,D0120,12 USD,planned,2025-01-01,\n"
        "P4,1001,D0120,(12.00,planned,2025-01-01,\n"
        "P5,1001,D0120,-(1.00),planned,2025-01-01,\n"
    ))
    result = read(export)
    assert result.frames["procedures"].height == 0
    shape = "is not an amount (expected a number such as 1234.50, $1,234.50, -12.00 or (12.00))"
    assert reasons(result) == [
        'procedures.csv row 2, column fee: "12.00001" has more than 4 decimal places',
        f'procedures.csv row 3, column fee: "12,34" {shape}',
        f'procedures.csv row 4, column fee: "12 USD" {shape}',
        f'procedures.csv row 5, column fee: "(12.00" {shape}',
        f'procedures.csv row 6, column fee: "-(1.00)" {shape}',
    ]


def test_empty_required_cell(export):
    export.minimal(procedures=PROC_HEADER + "P1,1001,,10,planned,2025-01-01,\n")
    assert reasons(read(export)) == [
        "procedures.csv row 2, column code: is empty (a value is required)"
    ]


def test_unknown_enum_value_lists_the_allowed_values(export):
    export.minimal(procedures=PROC_HEADER + "P1,1001,D0120,10,done,2025-01-01,\n")
    assert reasons(read(export)) == [
        'procedures.csv row 2, column status: "done" is not an allowed status (expected one of: '
        "planned, completed, existing, referred, condition, inactive, deleted)"
    ]


def test_bad_value_in_optional_column_is_refused_not_guessed(export):
    export.minimal(patients=(
        "patient_id,first_name,last_name,birth_date\n1001,Ann,Lee,soon\n1002,Bob,Ray,\n"
    ))
    result = read(export)
    assert result.frames["patients"].get_column("patient_id").to_list() == ["1002"]
    assert reasons(result) == [
        'patients.csv row 2, column birth_date: "soon" is not a date '
        "(expected YYYY-MM-DD or MM/DD/YYYY)"
    ]


def test_duplicate_key_quarantines_every_row_with_it(export):
    export.minimal(patients=(
        "patient_id,first_name,last_name\n1001,Ann,Lee\n1002,Bob,Ray\n1001,Ann,Lee\n"
    ))
    result = read(export)
    assert result.frames["patients"].get_column("patient_id").to_list() == ["1002"]
    assert [(r.row, r.key, r.column) for r in result.rejects] == [
        (2, "1001", "patient_id"), (4, "1001", "patient_id")
    ]
    assert reasons(result)[0] == (
        'patients.csv row 2, column patient_id: patient_id "1001" appears on rows 2, 4: '
        "every such row is refused"
    )


def test_completed_procedure_needs_a_completed_date(export):
    export.minimal(procedures=PROC_HEADER + "P1,1001,D0120,10,Completed,2025-01-01,\n")
    assert reasons(read(export)) == [
        "procedures.csv row 2, column completed_date: is empty but status is completed "
        "(completed procedures need a date)"
    ]


def test_reference_to_unknown_id_is_quarantined_and_valid_rows_load(export, db, query):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D0120,10,planned,2025-01-01,\n"
        "P2,9999,D0120,20,planned,2025-01-01,\n"
    ))
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    assert summary.tables["procedures"] == {"read": 2, "loaded": 1, "quarantined": 1}
    assert [r.reason for r in summary.rejects] == [
        'procedures.csv row 3, column patient_id: "9999" matches no patients row '
        '(not loaded by this export, not in the database for source "A")'
    ]
    assert query(db, "select procedure_id from raw_procedures") == [("P1",)]
    stored = query(db, "select batch_id, table_name, row_number, row_key, column_name, value, "
                       "row_data from rejects")
    assert stored[0][:6] == (1, "procedures", 3, "P2", "patient_id", "9999")
    assert json.loads(stored[0][6])["fee"] == "20.0000"


def test_references_are_checked_against_earlier_loads_of_the_same_source(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    later = export.folder.parent / "later"
    later.mkdir()
    (later / "patients.csv").write_text("patient_id,first_name,last_name\n")
    (later / "procedures.csv").write_text(PROC_HEADER + "P7,1002,D0120,10,planned,2025-04-01,\n")
    summary = ingest_paths([later], db=db, practice_id="A")
    assert summary.rejects == []
    other_source = ingest_paths([later], db=db, practice_id="A", source_id="other")
    assert [r.column for r in other_source.rejects] == ["patient_id"]


def test_reference_to_an_absent_table_is_not_checked_and_says_so(export):
    export.minimal(procedures=(
        "procedure_id,patient_id,provider_id,code,fee,status,diagnosed_date\n"
        "P1,1001,DR9,D0120,10,planned,2025-01-01\n"
    ))
    from pipelines.load import load_export

    result = read(export)
    summary = load_export(result, db=export.folder.parent / "x.duckdb", source_id="A")
    assert summary.rejects == []
    assert "procedures.provider_id not checked: no team table in this export or the database" in (
        summary.notes
    )


def test_a_refused_patient_refuses_its_procedures(export, db):
    export.minimal(patients="patient_id,first_name,last_name,status\n1001,Ann,Lee,zombie\n"
                            "1002,Bob,Ray,\n")
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    # patient 1001 refused (status) so P1, which points at it, is refused too; P2 loads
    assert summary.tables == {
        "patients": {"read": 2, "loaded": 1, "quarantined": 1},
        "procedures": {"read": 2, "loaded": 1, "quarantined": 1},
    }


def test_two_files_for_one_table_refuse_the_load(export):
    export.minimal()
    export.write("Patients.txt", "patient_id,first_name,last_name\n")
    with pytest.raises(ExportRefused, match="two files for table patients"):
        read(export)


def test_reject_reasons_never_carry_other_cells_of_a_patient(export):
    export.minimal(patients="patient_id,first_name,last_name,birth_date\n1001,Zelda,Quux,bad\n")
    (reject,) = read(export).rejects
    assert "Zelda" not in reject.reason and "Quux" not in reject.reason
    assert reject.row_data["first_name"] == "Zelda"  # kept for the database only


def test_rows_with_a_wrong_field_count_are_refused_by_row_and_never_quoted(export):
    export.minimal(patients=(
        "patient_id,first_name,last_name\n"
        "1001,Ann,Lee\n"                       # row 2
        "1009,Zelda,Quux,555-0199,extra\n"     # row 3: 5 fields for 3 columns
        '1002,"Bob\nRobert",Ray\n'             # row 4: a quoted line break stays one row
        "1010,Yves\n"                          # row 5: 2 fields
        "1003,Cy,Day\n"                        # row 6
    ))
    result = read(export)
    assert result.frames["patients"].get_column("patient_id").to_list() == ["1001", "1002", "1003"]
    assert result.row_numbers["patients"].to_list() == [2, 4, 6]
    assert reasons(result) == [
        "patients.csv row 3: has 5 fields where the header has 3 (row refused)",
        "patients.csv row 5: has 2 fields where the header has 3 (row refused)",
    ]
    assert result.read_counts["patients"] == 5
    assert not any("Zelda" in r or "555-0199" in r for r in reasons(result))


def test_duplicate_rows_after_a_ragged_row_keep_their_spreadsheet_numbers(export):
    export.minimal(patients=(
        "patient_id,first_name,last_name\n1001,Ann,Lee\n1009,x\n1001,Ann,Lee\n"
    ))
    assert [(r.row, r.column) for r in read(export).rejects] == [
        (2, "patient_id"), (3, None), (4, "patient_id")
    ]


@pytest.mark.parametrize("fee", ["٣٤", "１２３", "--5", "-$-5", "$-", "()"])
def test_non_ascii_digits_and_double_signs_are_not_amounts(export, fee):
    export.minimal(procedures=PROC_HEADER + f"P1,1001,D0120,{fee},planned,2025-01-01,\n")
    assert [(r.key, r.column) for r in read(export).rejects] == [("P1", "fee")]


def test_a_zero_byte_file_is_refused_with_the_header_it_needs(export):
    export.minimal()
    export.write("team.csv", "")
    with pytest.raises(ExportRefused, match=r"team.csv is empty: it needs at least a header row "
                                            r"\(member_id, name, role\)"):
        read(export)
