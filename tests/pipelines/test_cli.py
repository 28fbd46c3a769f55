"""`caseboard ingest`, `loads`, `rejects`: exit codes, --json shapes, what is printed."""

from __future__ import annotations

import json

from caseboard.cli import main

PROC_HEADER = "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_loaded_with_quarantined_rows_exits_0_and_json_has_the_exact_shape(export, db, capsys):
    export.minimal(procedures=PROC_HEADER + (
        "P1,1001,D2740,1200.00,completed,2025-02-03,2025-02-10\n"
        "P2,1002,D1110,95.50,planned,2025-02-30,\n"
    ))
    code, out, _ = run(capsys, "ingest", str(export.folder), "--db", str(db),
                       "--practice", "A", "--json")
    assert code == 0
    summary = json.loads(out)
    assert list(summary) == ["batch_id", "source", "practices", "unchanged", "tables", "rejects"]
    assert summary["batch_id"] == 1 and summary["source"] == "A"
    assert summary["practices"] == ["A"] and summary["unchanged"] is False
    assert summary["tables"] == {
        "patients": {"read": 2, "loaded": 2, "quarantined": 0},
        "procedures": {"read": 2, "loaded": 1, "quarantined": 1},
    }
    assert summary["rejects"] == [{
        "table": "procedures", "file": "procedures.csv", "row": 3, "key": "P2",
        "column": "diagnosed_date",
        "reason": 'procedures.csv row 3, column diagnosed_date: "2025-02-30" is not a date '
                  "(expected YYYY-MM-DD or MM/DD/YYYY)",
    }]
    code, out, _ = run(capsys, "ingest", str(export.folder), "--db", str(db),
                       "--practice", "A", "--json")
    assert (code, json.loads(out)["unchanged"], json.loads(out)["batch_id"]) == (0, True, 1)


def test_human_output_lists_counts_and_each_reject(export, db, capsys):
    export.minimal(patients="patient_id,first_name,last_name,status\n1001,Ann,Lee,\n"
                            "1002,Bob,Ray,gone\n")
    code, out, _ = run(capsys, "ingest", str(export.folder), "--db", str(db), "--practice", "A")
    assert code == 0
    assert "patients                 2         1            1" in out
    assert ('  patients.csv row 3, column status: "gone" is not an allowed status' in out)
    assert "Bob" not in out and "Ray" not in out


def test_refused_whole_exits_1_and_leaves_no_database(export, db, capsys):
    export.write("patients.csv", "patient_id,first_name,last_name\n1001,Ann,Lee\n")
    code, out, err = run(capsys, "ingest", str(export.folder), "--db", str(db), "--practice", "A")
    assert code == 1
    assert "required table procedures is missing" in err
    assert out == "" and not db.exists()


def test_usage_errors_exit_2(export, db, capsys):
    assert run(capsys, "ingest", "--db", str(db))[0] == 2
    assert run(capsys, "ingest", str(export.folder), "--format", "csv")[0] == 2
    assert run(capsys, "ingest", str(export.folder / "nope"), "--db", str(db))[0] == 2
    assert run(capsys, "rejects", "--batch", "one", "--db", str(db))[0] == 2


def test_loads_and_rejects_list_batches_and_quarantined_rows(export, db, capsys):
    export.minimal()
    run(capsys, "ingest", str(export.folder), "--db", str(db), "--practice", "A")
    export.write("procedures.csv", PROC_HEADER + "P3,1001,D0120,1.234567,planned,2025-01-01,\n")
    run(capsys, "ingest", str(export.folder), "--db", str(db), "--practice", "A")
    code, out, _ = run(capsys, "loads", "--db", str(db), "--json")
    loads = json.loads(out)
    assert code == 0
    assert [(b["batch_id"], b["source"], b["format"], b["full"]) for b in loads] == [
        (2, "A", "standard", False), (1, "A", "standard", False)
    ]
    assert loads[0]["tables"]["procedures"] == {"read": 1, "loaded": 0, "quarantined": 1}
    assert [b["unchanged"] for b in loads] == [False, False]
    run(capsys, "ingest", str(export.folder), "--db", str(db), "--practice", "A")
    code, out, _ = run(capsys, "loads", "--db", str(db))
    # the same files again: a history line that says nothing was written
    assert out.splitlines()[1].startswith("    3") and out.splitlines()[1].endswith(
        "(unchanged: same files, nothing written)")
    code, out, _ = run(capsys, "rejects", "--db", str(db), "--batch", "2", "--json")
    assert code == 0
    assert json.loads(out) == [{
        "batch_id": 2, "table": "procedures", "file": "procedures.csv", "row": 2, "key": "P3",
        "column": "fee",
        "reason": 'procedures.csv row 2, column fee: "1.234567" has more than 4 decimal places',
    }]
    assert json.loads(run(capsys, "rejects", "--db", str(db), "--batch", "1", "--json")[1]) == []
    code, out, _ = run(capsys, "rejects", "--db", str(db))
    assert out.startswith("batch 2: procedures.csv row 2, column fee")


def test_loads_without_a_database_exits_1(db, capsys):
    code, _, err = run(capsys, "loads", "--db", str(db))
    assert code == 1 and "no database" in err
