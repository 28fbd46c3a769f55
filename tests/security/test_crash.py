"""A load killed at any moment, or failing on a full disk or a permission error, changes nothing."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from caseboard import storage
from tests.security.exports import ROOT, load_command, run_load, snapshot, write_export

KILLS = 20


def _working_files(db: Path) -> list[Path]:
    return list(db.parent.glob(db.name + ".writing-*"))


def _wait_for_working_file(db: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if _working_files(db):
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory):
    """A database holding export A, export B ready, the state after loading B, and its timing."""
    base = tmp_path_factory.mktemp("crash")
    write_export(base / "a", 200, tag="a")
    write_export(base / "b", 3000, 3, tag="b")
    db = base / "before.duckdb"
    assert run_load(base / "a", db).returncode == 0
    after = base / "after.duckdb"
    shutil.copyfile(db, after)
    started = time.monotonic()
    proc = subprocess.Popen(load_command(base / "b", after), cwd=ROOT, stderr=subprocess.PIPE)
    assert _wait_for_working_file(after, proc)
    writing_from = time.monotonic() - started
    _, stderr = proc.communicate(timeout=120)
    writing_window = time.monotonic() - started - writing_from
    assert proc.returncode == 0, stderr
    return base, db, snapshot(db), snapshot(after), writing_from, writing_window


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_the_database_as_before(crash_setup, tmp_path):
    base, before_db, before, after, writing_from, writing_window = crash_setup
    assert before != after
    db = tmp_path / "db.duckdb"
    rng = random.Random(20261126)
    outcomes = []
    mid_write = 0
    # The calibration load may run slower than later ones (the other test worker's load
    # varies), so the delays adapt: a kill that landed after the publish shortens them.
    scale = 1.0
    for kill in range(KILLS):
        shutil.copyfile(before_db, db)
        for stale in _working_files(db):  # a killed writer leaves its copy for the next one
            stale.unlink()
        proc = subprocess.Popen(
            load_command(base / "b", db), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        if kill % 2 == 0:  # while starting and reading the export
            time.sleep(rng.uniform(0.05, max(0.05, writing_from * scale)))
        else:  # while writing the private copy (load, views, checkpoint, publish)
            assert _wait_for_working_file(db, proc)
            time.sleep(rng.uniform(0.0, writing_window * scale))
        mid_write += bool(_working_files(db))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        state = snapshot(db)  # opens read-only: a corrupt or WAL-mismatched file raises here
        assert state in (before, after), f"kill {kill} left a third state"
        outcomes.append(state == before)
        scale = min(1.0, scale * 1.1) if state == before else scale * 0.6
    print(f"kills: {KILLS}, during the write: {mid_write}, left as before: {sum(outcomes)}, "
          f"published just before the kill: {KILLS - sum(outcomes)}")
    # a kill only shows the new state if it lands after the atomic publish; enough kills
    # must land before it for the test to prove anything
    assert sum(outcomes) >= KILLS // 3, outcomes
    assert mid_write >= KILLS // 4, f"only {mid_write} kills landed during the write"
    # the next writer still gets the lock and cleans the dead writer's working file
    shutil.copyfile(before_db, db)
    proc = subprocess.Popen(load_command(base / "b", db), cwd=ROOT)
    assert _wait_for_working_file(db, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert _working_files(db)
    assert run_load(base / "b", db).returncode == 0
    assert snapshot(db) == after
    assert not _working_files(db)


@pytest.fixture
def small_disk(tmp_path):
    """A mounted tmpfs folder whose size the test picks; skipped where mount is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = []

    def mount(size_bytes: int) -> Path:
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("needs root to mount a tmpfs; the in-process ENOSPC tests cover this")
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_bytes // 1024}k", "tmpfs", str(disk)],
            capture_output=True, text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(disk)
        return disk

    yield mount
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize(
    ("spare", "where"),
    [
        (512 * 1024, "the working copy does not fit"),
        (2_500 * 1024, "the copy fits, the load's growth does not"),
    ],
)
def test_disk_full_during_a_load_changes_nothing(crash_setup, small_disk, spare, where):
    base, before_db, before = crash_setup[:3]
    disk = small_disk(before_db.stat().st_size + spare)
    db = disk / "db.duckdb"
    shutil.copyfile(before_db, db)
    done = run_load(base / "b", db)
    assert done.returncode == 1, where
    assert "No space left on device" in done.stderr or "space" in done.stderr.lower(), where
    assert snapshot(db) == before, where
    assert not _working_files(db), f"{where}: a failed working copy must not stay on the disk"


def test_disk_full_message_is_clear_not_a_traceback(crash_setup, small_disk):
    base, before_db, _ = crash_setup[:3]
    disk = small_disk(before_db.stat().st_size + 512 * 1024)
    db = disk / "db.duckdb"
    shutil.copyfile(before_db, db)
    done = run_load(base / "b", db)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "No space left on device" in done.stderr


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("shutil.copyfile", OSError(errno.ENOSPC, "No space left on device")),
        ("os.replace", PermissionError(errno.EACCES, "Permission denied")),
        ("os.fsync", OSError(errno.ENOSPC, "No space left on device")),
    ],
)
def test_write_failures_leave_the_database_as_it_was(
    crash_setup, tmp_path, monkeypatch, target, error
):
    _, before_db, before = crash_setup[:3]
    db = tmp_path / "db.duckdb"
    shutil.copyfile(before_db, db)
    module, name = target.split(".")
    real = getattr(storage.os if module == "os" else storage.shutil, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(name)
        raise error

    monkeypatch.setattr(storage.os if module == "os" else storage.shutil, name, failing)
    with pytest.raises(storage.StorageError) as raised, storage.write_connection(db) as con:
        con.execute("delete from raw_patients")
    monkeypatch.setattr(storage.os if module == "os" else storage.shutil, name, real)
    assert calls
    expected = "No space left" if error.errno == errno.ENOSPC else "Permission denied"
    assert expected in str(raised.value)
    assert "left as it was" in str(raised.value)
    assert snapshot(db) == before
    assert not list(tmp_path.glob("db.duckdb.writing-*"))


def test_duckdb_write_error_inside_the_block_changes_nothing(crash_setup, tmp_path):
    _, before_db, before = crash_setup[:3]
    db = tmp_path / "db.duckdb"
    shutil.copyfile(before_db, db)
    with pytest.raises(duckdb.Error), storage.write_connection(db) as con:
        con.execute("delete from raw_procedures")
        con.execute("insert into raw_patients (patient_id) values (null)")
    assert snapshot(db) == before
