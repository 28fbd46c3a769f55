"""Copies of patient data in temporary folders: private while in use, and removed at the start
of any command when the process that made them was killed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from caseboard import tempfiles
from pipelines.archive import extracted
from tests.security.exports import ROOT


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_any_command_removes_folders_left_by_killed_processes(tmp_path):
    dead = _dead_pid()
    left = {kind: tmp_path / f"caseboard-{kind}-{dead}-abc" for kind in tempfiles.KINDS}
    for folder in left.values():
        folder.mkdir(mode=0o700)
        (folder / "patients.csv").write_text("patient_id,first_name\nP1,Ann\n")
    mine = tmp_path / f"caseboard-stage-{os.getpid()}-abc"  # a live process's: kept
    mine.mkdir()
    other = tmp_path / "someone-else-123"  # not ours: never touched
    other.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "loads", "--db", str(tmp_path / "none.duckdb")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert "Traceback" not in done.stderr
    assert not [k for k, folder in left.items() if folder.exists()]
    assert mine.exists() and other.exists()


def test_temporary_folders_are_private(tmp_path, monkeypatch):
    import zipfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("patients.csv", "patient_id\nP1\n")
    with extracted(archive) as folder:
        assert folder.name.startswith(f"caseboard-zip-{os.getpid()}-")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not folder.exists()
