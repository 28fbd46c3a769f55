"""Zip uploads: traversal, absolute paths, links and bombs refused before anything is written."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from pipelines.archive import ArchiveLimits, UnsafeArchive, extract_to, extracted

PATIENTS = "patient_id,first_name,last_name\n1,Ann,Lee\n"


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def layout(tmp_path):
    """tmp_path/work is the working folder; tmp_path itself must stay as it is."""
    work = tmp_path / "work"
    work.mkdir()
    return tmp_path, work


def assert_refused(zip_path: Path, work: Path, outside: Path, match: str, limits=None) -> None:
    before = files_under(outside)
    with pytest.raises(UnsafeArchive, match=match):
        extract_to(zip_path, work, *(limits,) if limits else ())
    assert files_under(work) == []  # checked whole before anything is written
    assert files_under(outside) == before


def test_good_zip_extracts_inside_the_folder(layout):
    outside, work = layout
    zip_path = make_zip(outside / "ok.zip", [("export/patients.csv", PATIENTS.encode())])
    extract_to(zip_path, work)
    assert (work / "export" / "patients.csv").read_text() == PATIENTS


@pytest.mark.parametrize(
    ("name", "match"),
    [
        ("../evil.csv", "climbs out"),
        ("export/../../evil.csv", "climbs out"),
        ("..\\evil.csv", "climbs out"),
        ("/tmp/evil.csv", "absolute path"),
        ("C:\\evil.csv", "absolute path"),
        ("C:/evil.csv", "absolute path"),
    ],
)
def test_traversal_and_absolute_paths_refused(layout, name, match):
    outside, work = layout
    zip_path = make_zip(
        outside / "bad.zip", [("patients.csv", PATIENTS.encode()), (name, b"pwned")]
    )
    assert_refused(zip_path, work, outside, match)
    assert not (outside / "evil.csv").exists()


def test_symlink_entry_refused(layout):
    outside, work = layout
    link = zipfile.ZipInfo("patients.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    zip_path = make_zip(outside / "link.zip", [(link, b"/etc/passwd")])
    assert_refused(zip_path, work, outside, "symbolic link")


def test_bomb_entry_refused_by_ratio(layout):
    outside, work = layout
    # 8 MiB of zeros deflate to ~8 KiB: ratio ~1000 > 200, and 8 MiB > the 1 MiB floor
    zip_path = make_zip(outside / "bomb.zip", [("procedures.csv", bytes(8 * 1024**2))])
    assert zip_path.stat().st_size < 100 * 1024
    assert_refused(zip_path, work, outside, "zip bomb")


def test_bomb_spread_over_small_entries_refused_overall(layout):
    outside, work = layout
    # 12 entries of 900 KiB zeros: each under the 1 MiB floor, together 10.5 MiB at ratio ~1000
    entries = [(f"part{i}.csv", bytes(900 * 1024)) for i in range(12)]
    assert_refused(make_zip(outside / "bomb.zip", entries), work, outside, "zip bomb")


def test_total_size_and_entry_count_limits_are_configurable(layout):
    outside, work = layout
    data = PATIENTS.encode() * 50  # 2,200 bytes, compresses < 200x so only the size limit bites
    zip_path = make_zip(outside / "big.zip", [("a.csv", data), ("b.csv", data)])
    # 2 * 2,200 = 4,400 bytes > 4,000
    assert_refused(zip_path, work, outside, "more than the limit of 4000",
                   ArchiveLimits(max_total_bytes=4000))
    assert_refused(zip_path, work, outside, "2 entries, more than the limit of 1",
                   ArchiveLimits(max_files=1))
    extract_to(zip_path, work, ArchiveLimits(max_total_bytes=4400, max_files=2))
    assert files_under(work) == ["a.csv", "b.csv"]


def test_not_a_zip_gives_a_clear_message(layout):
    outside, work = layout
    fake = outside / "export.zip"
    fake.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(UnsafeArchive, match="export.zip is not a readable zip file"):
        extract_to(fake, work)
    assert files_under(work) == []


def test_duplicate_entry_names_refused_clearly(layout):
    outside, work = layout
    with pytest.warns(UserWarning, match="Duplicate name"):
        zip_path = make_zip(
            outside / "dup.zip",
            [("patients.csv", PATIENTS.encode()), ("patients.csv", b"patient_id\nX\n")],
        )
    with pytest.raises(UnsafeArchive, match="patients.csv"):
        extract_to(zip_path, work)
    assert files_under(work) == []


def test_extracted_folder_is_removed_afterwards(layout):
    outside, _ = layout
    zip_path = make_zip(outside / "ok.zip", [("patients.csv", PATIENTS.encode())])
    with extracted(zip_path) as folder:
        assert (folder / "patients.csv").read_text() == PATIENTS
    assert not folder.exists()


class FakeUpload:
    """What st.file_uploader hands the page: a name chosen by the browser and the bytes."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.size = len(data)
        self._data = data

    def getbuffer(self) -> memoryview:
        return memoryview(self._data)


def _standard_files() -> dict[str, bytes]:
    from tests.security.exports import (
        PATIENT_COLUMNS,
        PROCEDURE_COLUMNS,
        patient_row,
        procedure_row,
    )

    def text(columns, rows) -> bytes:
        return ("\n".join(",".join(r) for r in [columns, *rows]) + "\n").encode()

    return {
        "patients.csv": text(PATIENT_COLUMNS, [patient_row("P1", "Ann", "Lee")]),
        "procedures.csv": text(PROCEDURE_COLUMNS, [procedure_row("X1", "P1")]),
    }


@pytest.fixture
def upload_env(tmp_path, monkeypatch):
    """Uploads land under tmp_path/tmp; the database is tmp_path/db.duckdb."""
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("CASEBOARD_DB", str(tmp_path / "db.duckdb"))
    return tmp_path, scratch


def test_uploaded_file_names_cannot_leave_the_upload_folder(upload_env):
    from dashboard.data import ingest_uploads

    root, scratch = upload_env
    files = _standard_files()
    uploads = [
        FakeUpload("../../patients.csv", files["patients.csv"]),
        FakeUpload(str(root / "procedures.csv"), files["procedures.csv"]),
    ]
    summary = ingest_uploads(uploads, practice_id="p1", full=False)
    assert summary.tables["patients"]["loaded"] == 1
    assert summary.tables["procedures"]["loaded"] == 1
    assert sorted(p.name for p in root.iterdir()) == ["db.duckdb", "db.duckdb.lock", "tmp"]
    assert list(scratch.iterdir()) == []  # the private upload folder is removed afterwards


def test_upload_over_the_size_limit_is_refused_before_saving(upload_env, monkeypatch):
    from dashboard.data import ingest_uploads

    root, scratch = upload_env
    monkeypatch.setenv("CASEBOARD_UPLOAD_LIMIT_MB", "1")
    files = _standard_files()
    big = files["procedures.csv"] + b"X" * (1024 * 1024)  # 1 MiB + the real file > 1 MiB
    with pytest.raises(ValueError, match="the limit is 1 MB"):
        ingest_uploads([FakeUpload("patients.csv", files["patients.csv"]),
                        FakeUpload("procedures.csv", big)], practice_id="p1", full=False)
    assert not (root / "db.duckdb").exists()
    assert list(scratch.iterdir()) == []


def test_only_known_file_types_are_read(tmp_path):
    from pipelines.ingest import ingest_paths
    from pipelines.model import ExportRefused

    files = _standard_files()
    unknown = make_zip(tmp_path / "unknown.zip", [
        ("patients.html", files["patients.csv"]), ("procedures.exe", files["procedures.csv"]),
        ("patients.csv.lnk", b"x"),
    ])
    with pytest.raises(ExportRefused, match="required table patients is missing"):
        ingest_paths([unknown], db=tmp_path / "db.duckdb", practice_id="p1")
    assert not (tmp_path / "db.duckdb").exists()
    mixed = make_zip(tmp_path / "mixed.zip", [
        ("patients.csv", files["patients.csv"]), ("procedures.csv", files["procedures.csv"]),
        ("payments.exe", b"MZ\x90\x00 not a table"),
    ])
    summary = ingest_paths([mixed], db=tmp_path / "db.duckdb", practice_id="p1")
    assert "payments" not in summary.tables
