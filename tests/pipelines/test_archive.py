"""Zip safety: every unsafe archive is refused before anything is written."""

from __future__ import annotations

import stat
import zipfile

import pytest

from pipelines.archive import ArchiveLimits, UnsafeArchive, extract_to, extracted


def make_zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if isinstance(name, zipfile.ZipInfo):
                archive.writestr(name, data)
            else:
                archive.writestr(name, data)
    return path


def test_a_plain_zip_extracts_into_a_private_folder_that_is_removed(tmp_path):
    archive = make_zip(tmp_path / "e.zip", [("practice/patients.csv", "patient_id\n1\n")])
    with extracted(archive) as folder:
        assert (folder / "practice" / "patients.csv").read_text() == "patient_id\n1\n"
        assert not folder.is_relative_to(tmp_path)
    assert not folder.exists()


@pytest.mark.parametrize("name, message", [
    ("../evil.csv", "climbs out"),
    ("practice/../../evil.csv", "climbs out"),
    ("..\\evil.csv", "climbs out"),
    ("/etc/evil.csv", "absolute path"),
    ("C:/evil.csv", "absolute path"),
])
def test_escaping_entries_are_refused_before_anything_is_written(tmp_path, name, message):
    archive = make_zip(tmp_path / "e.zip", [("patients.csv", "ok"), (name, "x")])
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(UnsafeArchive, match=message):
        extract_to(archive, target)
    assert list(target.iterdir()) == []
    assert not (tmp_path / "evil.csv").exists()


def test_symlinks_are_refused(tmp_path):
    link = zipfile.ZipInfo("patients.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    archive = make_zip(tmp_path / "e.zip", [(link, "/etc/passwd")])
    with pytest.raises(UnsafeArchive, match="symbolic link"):
        extract_to(archive, tmp_path / "out")


def test_too_many_files_are_refused(tmp_path):
    archive = make_zip(tmp_path / "e.zip", [(f"f{i}.csv", "x") for i in range(4)])
    with pytest.raises(UnsafeArchive, match="4 entries, more than the limit of 3"):
        extract_to(archive, tmp_path / "out", ArchiveLimits(max_files=3))


def test_too_much_uncompressed_data_is_refused(tmp_path):
    archive = make_zip(tmp_path / "e.zip", [("a.csv", "x" * 600), ("b.csv", "y" * 600)])
    # 600 + 600 = 1200 bytes declared > 1000
    with pytest.raises(UnsafeArchive, match="expands to 1200 bytes"):
        extract_to(archive, tmp_path / "out", ArchiveLimits(max_total_bytes=1000))


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    # 2 MB of zeros deflates to ~2 KB: a ratio near 1000, over the limit of 200
    archive = make_zip(tmp_path / "e.zip", [("patients.csv", b"\0" * (2 * 1024**2))])
    with pytest.raises(UnsafeArchive, match="zip bomb"):
        extract_to(archive, tmp_path / "out")
    assert not (tmp_path / "out" / "patients.csv").exists()


def test_an_entry_whose_header_understates_its_size_is_refused(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "e.zip", [("patients.csv", "x" * 5000)])
    original = zipfile.ZipFile.infolist

    def lying_infolist(self):
        infos = original(self)
        for info in infos:
            info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying_infolist)
    with pytest.raises(UnsafeArchive, match="is damaged"):
        extract_to(archive, tmp_path / "out")


def test_an_entry_name_given_twice_is_refused_before_anything_is_written(tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = make_zip(tmp_path / "e.zip", [("patients.csv", "a"), ("patients.csv", "b")])
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(UnsafeArchive, match="'patients.csv' twice"):
        extract_to(archive, target)
    assert list(target.iterdir()) == []
