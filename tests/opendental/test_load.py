"""Open Dental loads are batches like any other: idempotent, quarantined with reasons, replaced."""

from __future__ import annotations

import duckdb

from pipelines.ingest import ingest_paths
from pipelines.opendental_sample import write_folder
from tests.opendental.odfixtures import patient, procedure, tables


def _rows():
    return tables(
        patient=[patient(1), patient(2, PatStatus=4)],
        procedurelog=[
            procedure(1, ProcStatus=2, ProcDate="2025-03-05"),
            procedure(2, ProcStatus=9),  # unknown status: quarantined
            procedure(3, pat=2),  # deleted patient: dropped with a note
        ],
    )


def test_load_is_detected_idempotent_and_quarantines(tmp_path):
    folder = write_folder(_rows(), tmp_path / "export")
    db = tmp_path / "od.duckdb"
    first = ingest_paths([folder], db=db)  # no --format: detected by the table names
    assert first.fmt == "opendental"
    assert first.tables["procedures"] == {"read": 2, "loaded": 1, "quarantined": 1}
    assert "1 deleted patient(s) (PatStatus 4) counted, not loaded" in first.notes
    again = ingest_paths([folder], db=db)
    assert again.unchanged and again.batch_id == first.batch_id
    con = duckdb.connect(str(db), read_only=True)
    try:
        # the second load wrote no data, only a history row saying it changed nothing
        assert con.sql("select unchanged from loads order by batch_id").fetchall() == [
            (False,), (True,)]
        assert con.sql("select table_name, file_name, row_key, reason from rejects").fetchall() == [
            (
                "procedures",
                "procedurelog.csv",
                "2",
                "procedurelog ProcNum 2: unknown ProcStatus 9"
                " (expected one of 1, 2, 3, 4, 5, 6, 7, 8)",
            )
        ]
        # the raw Open Dental rows are kept, deleted patient included, for reconciliation
        assert con.sql("select proc_num from od_procedurelog order by 1").fetchall() == [
            ("1",),
            ("2",),
            ("3",),
        ]
    finally:
        con.close()


def test_newer_export_replaces_raw_rows(tmp_path):
    db = tmp_path / "od.duckdb"
    ingest_paths([write_folder(_rows(), tmp_path / "one")], db=db)
    newer = _rows()
    newer["procedurelog"] = [procedure(1, ProcStatus=2, ProcDate="2025-03-05", ProcFee=120.0)]
    summary = ingest_paths([write_folder(newer, tmp_path / "two")], db=db, full=True)
    assert not summary.unchanged
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.sql("select proc_num, proc_fee from od_procedurelog").fetchall() == [
            ("1", 120.0)
        ]
        assert con.sql("select procedure_id, fee from stg_procedures").fetchall()[0][1] == 120
    finally:
        con.close()
