"""ingest_paths picks the reader: Open Dental table names go to the adapter, the rest standard."""

from __future__ import annotations

import zipfile

import polars as pl
import pytest

from pipelines import ingest
from pipelines.model import ExportRefused, FileInfo, ReadResult
from pipelines.schema import PROCEDURES


def fake_result(practice_id):
    frames = {
        "patients": pl.DataFrame({"patient_id": ["7"], "practice_id": [practice_id],
                                  "first_name": ["A"], "last_name": ["B"]}),
        "procedures": pl.DataFrame(schema={c: pl.String for c in PROCEDURES.column_names}),
    }
    return ReadResult(fmt="opendental", frames=frames, read_counts={"patients": 1, "procedures": 0},
                      files=[FileInfo("patients", "patient.csv", "0" * 64, 1)])


@pytest.fixture
def adapter(monkeypatch):
    calls = []

    def read_folder(path, *, practice_id=None):
        calls.append((path.name if path.is_dir() else path, practice_id))
        return fake_result(practice_id or "main")

    from pipelines import opendental

    monkeypatch.setattr(opendental, "read_folder", read_folder)
    return calls


def test_open_dental_table_names_go_to_the_adapter(tmp_path, adapter, db, query):
    folder = tmp_path / "od"
    folder.mkdir()
    (folder / "procedurelog.csv").write_text("ProcNum\n")
    summary = ingest.ingest_paths([folder], db=db, practice_id="north")
    assert adapter == [("od", "north")]
    assert (summary.fmt, summary.source, summary.practices) == ("opendental", "north", ["north"])
    assert query(db, "select source_id, patient_id from raw_patients") == [("north", "7")]


def test_a_zip_of_open_dental_files_is_unpacked_safely_first(tmp_path, adapter, db):
    archive = tmp_path / "od.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("export/patient.txt", "PatNum\n")
    summary = ingest.ingest_paths([archive], db=db)
    assert len(adapter) == 1 and adapter[0][1] is None
    assert summary.source == "main"


def test_forced_standard_format_skips_detection(tmp_path, adapter, db):
    folder = tmp_path / "od"
    folder.mkdir()
    (folder / "procedurelog.csv").write_text("ProcNum\n")
    with pytest.raises(ExportRefused, match="required table patients is missing"):
        ingest.ingest_paths([folder], db=db, practice_id="A", fmt="standard")
    assert adapter == []
