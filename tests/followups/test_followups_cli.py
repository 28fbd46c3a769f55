"""`caseboard followups add|list|export|import`: round trip, idempotent import, bad rows
refused with file, row, column and reason (never a note's text), removed patients kept."""

from __future__ import annotations

import json
from datetime import date

import pytest

from caseboard import followups
from caseboard.cli import main
from caseboard.followups import Contact, FollowupError
from pipelines.ingest import ingest_paths
from tests.followups.test_entries_durability import PATIENTS, PROCEDURES
from tests.pipelines.conftest import Export

HEADER = ("practice_id,patient_id,contact_date,outcome,reason,next_contact_date,note,"
          "team_member_id\n")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def loaded(tmp_path, name="caseboard.duckdb"):
    """Patients 1001 and 1002 of practice (and source) A."""
    export = Export(tmp_path / f"export-{name}").minimal(PATIENTS, PROCEDURES)
    db = tmp_path / name
    ingest_paths([export.folder], db=db, practice_id="A")
    return db, export


def test_add_list_export_import_round_trip(tmp_path, capsys):
    db, _ = loaded(tmp_path)
    code, out, _ = run(capsys, "followups", "add", "--db", str(db), "--practice", "A",
                       "--patient", "1001", "--date", "2025-02-05", "--outcome", "left_message",
                       "--next", "2025-02-12", "--note", "=call after 5, \"ask for Ann\"",
                       "--member", "tc1")
    assert (code, out) == (0, "recorded the contact\n")
    code, _, _ = run(capsys, "followups", "add", "--db", str(db), "--practice", "A",
                     "--patient", "1002", "--date", "2025-03-02", "--outcome", "declined",
                     "--reason", "second_opinion")
    assert code == 0
    code, out, _ = run(capsys, "followups", "list", "--db", str(db), "--json")
    listed = json.loads(out)
    assert [(e["patient_id"], e["outcome"], e["reason"], e["next_contact_date"],
             e["in_practice_data"]) for e in listed] == [
        ("1001", "left_message", None, "2025-02-12", True),
        ("1002", "declined", "second_opinion", None, True)]
    out_file = tmp_path / "log.csv"
    assert run(capsys, "followups", "export", "--db", str(db), "--out", str(out_file))[0] == 0
    text = out_file.read_text()
    # one source loaded: no source column; the note's leading '=' made formula-safe
    assert text == HEADER + (
        "A,1001,2025-02-05,left_message,,2025-02-12,\"'=call after 5, \"\"ask for Ann\"\"\",tc1\n"
        "A,1002,2025-03-02,declined,second_opinion,,,\n")
    other, _ = loaded(tmp_path, "other.duckdb")
    code, out, _ = run(capsys, "followups", "import", str(out_file), "--db", str(other))
    assert (code, out) == (0, "imported 2 new contacts from log.csv\n")
    code, out, _ = run(capsys, "followups", "import", str(out_file), "--db", str(other))
    assert (code, out) == (0, "imported 0 new contacts from log.csv\n")  # idempotent
    again = tmp_path / "again.csv"
    run(capsys, "followups", "export", "--db", str(other), "--out", str(again))
    assert again.read_text() == text
    code, out, _ = run(capsys, "followups", "list", "--db", str(other))
    assert out.splitlines()[0] == (
        "2025-02-05 A/1001: left_message, next 2025-02-12 by tc1 - =call after 5, \"ask for Ann\"")


def test_bad_rows_are_refused_with_file_row_column_and_reason(tmp_path, capsys):
    db, _ = loaded(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER
                   + "A,1001,2025-02-05,reached,,,secret note one,tc1\n"        # row 2: fine
                   + "A,1001,05/02/2025,reached,,,secret note two,tc1\n"        # row 3
                   + "A,1001,2025-02-05,called,,,secret note three,tc1\n"       # row 4
                   + "A,1002,2025-02-05,declined,,,,\n"                         # row 5
                   + "A,1002,2025-02-05,reached,cost,2025-02-01,,\n")           # row 6
    code, out, err = run(capsys, "followups", "import", str(bad), "--db", str(db))
    assert code == 1
    assert err.splitlines() == [
        "caseboard followups: bad.csv, row 3, column contact_date: a date YYYY-MM-DD, "
        "got '05/02/2025'",
        "caseboard followups: bad.csv, row 4, column outcome: one of reached, left_message, "
        "no_answer, scheduled, declined, wrong_number",
        "caseboard followups: bad.csv, row 5, column reason: a reason is required when the "
        "outcome is declined",
        "caseboard followups: bad.csv, row 6, column reason: a reason only goes with the "
        "outcome declined",
        "caseboard followups: bad.csv, row 6, column next_contact_date: a date on or after the "
        "contact date",
        "caseboard followups: nothing was recorded",
    ]
    assert "secret" not in out + err
    code, out, _ = run(capsys, "followups", "list", "--db", str(db))
    assert out == "no contacts recorded\n"  # the good row 2 was not recorded either


def test_a_removed_patient_keeps_their_entries_and_says_so(tmp_path, capsys):
    db, export = loaded(tmp_path)
    run(capsys, "followups", "add", "--db", str(db), "--practice", "A", "--patient", "1002",
        "--date", "2025-03-02", "--outcome", "no_answer")
    export.minimal(PATIENTS.replace("1002,Bob,Ray,\n", ""),
                   PROCEDURES.replace("P2,1002,D1110,95.50,planned,2025-03-01,\n", ""))
    ingest_paths([export.folder], db=db, practice_id="A", full=True)
    code, out, _ = run(capsys, "followups", "list", "--db", str(db))
    assert out == "2025-03-02 A/1002 (no longer in the practice data): no_answer by -\n"


def test_a_patient_in_no_loaded_source_needs_a_source_when_several_are_loaded(tmp_path, capsys):
    db, export = loaded(tmp_path)
    ingest_paths([export.folder], db=db, practice_id="B")
    code, _, err = run(capsys, "followups", "add", "--db", str(db), "--practice", "A",
                       "--patient", "9999", "--outcome", "reached")
    assert code == 1
    assert "the patient's source is needed (the patient is not in the loaded data)" in err


def test_a_refused_contact_never_repeats_its_note(tmp_path):
    db, _ = loaded(tmp_path)
    long_note = "SECRET diagnosis talk " * 30  # 660 characters, over the 500 limit
    with pytest.raises(FollowupError) as refused:
        followups.record(db, [Contact("A", "A", "1001", date(2025, 2, 5),
                                      "reached", None, None, long_note, None)])
    assert str(refused.value) == "contact 1, column note: at most 500 characters"
    assert followups.read_log(db).height == 0
