"""The database file: its mode survives loads, a new one is private, a symlink is followed."""

from __future__ import annotations

import os
import stat
import subprocess
import time

from caseboard.storage import read_connection, write_lock
from tests.security.exports import ROOT, load_command, write_export


def _load(folder, db, env=None) -> subprocess.CompletedProcess:
    """A real `caseboard ingest` under the usual umask 022 (which made files 0644 before)."""
    return subprocess.run(
        load_command(folder, db), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _patients(db) -> int:
    with read_connection(db) as con:
        return con.sql("select count(*) from raw_patients").fetchall()[0][0]


def test_a_new_database_is_readable_by_its_owner_only(tmp_path):
    write_export(tmp_path / "a", 2)
    db = tmp_path / "db.duckdb"
    done = _load(tmp_path / "a", db)
    assert done.returncode == 0, done.stderr
    assert _mode(db) == 0o600  # under umask 022 DuckDB alone creates 0644
    assert not list(tmp_path.glob("db.duckdb.writing-*"))


def test_a_load_keeps_the_mode_the_owner_set(tmp_path):
    write_export(tmp_path / "a", 2, tag="a")
    write_export(tmp_path / "b", 3, tag="b")
    db = tmp_path / "db.duckdb"
    assert _load(tmp_path / "a", db).returncode == 0
    db.chmod(0o640)
    done = _load(tmp_path / "b", db)
    assert done.returncode == 0, done.stderr
    assert _mode(db) == 0o640
    assert _patients(db) == 3  # P0, P1 updated and P2 added (same source, not a full export)


def test_a_symlinked_db_loads_into_the_real_file_and_stays_a_link(tmp_path):
    write_export(tmp_path / "a", 2, tag="a")
    write_export(tmp_path / "b", 4, tag="b")
    real = tmp_path / "data" / "real.duckdb"
    real.parent.mkdir()
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    done = _load(tmp_path / "a", link)  # the target does not exist yet: created through the link
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and real.is_file()
    assert _patients(real) == 2
    real.chmod(0o640)
    done = _load(tmp_path / "b", link)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert _patients(real) == 4
    assert _mode(real) == 0o640
    assert not list(tmp_path.glob("link.duckdb*.lock")), "the lock must sit beside the real file"


def test_writers_through_the_link_and_the_target_are_serialised(tmp_path):
    write_export(tmp_path / "a", 2, tag="a")
    real = tmp_path / "real.duckdb"
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    assert _load(tmp_path / "a", real).returncode == 0
    env = dict(os.environ, CASEBOARD_LOCK_TIMEOUT="0.5")
    with write_lock(real, timeout_s=1):  # a writer on the target holds the lock
        started = time.monotonic()
        done = _load(tmp_path / "a", link, env)
        waited = time.monotonic() - started
    assert done.returncode == 1
    assert "another load or edit is writing" in done.stderr
    assert waited >= 0.5
