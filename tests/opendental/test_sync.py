"""caseboard sync: scheduled Open Dental loads, one at a time, each logged without patient data."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import stat
from pathlib import Path

import pytest

from caseboard import sync
from caseboard.cli import main as cli
from pipelines.opendental_sample import write_folder
from tests.opendental.test_unattended import _office


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """An Open Dental export folder a PMS job refreshes (patient Last1 First1)."""
    return write_folder(_office(), tmp_path / "export")


def test_sync_once_loads_then_logs_unchanged_and_failure(export, tmp_path, capsys):
    db = tmp_path / "od.duckdb"
    assert cli(["sync", str(export), "--db", str(db), "--once"]) == 0
    assert cli(["sync", str(export), "--db", str(db), "--once"]) == 0
    (export / "patient.csv").unlink()  # the PMS job broke: a required table is missing
    assert cli(["sync", str(export), "--db", str(db), "--once"]) == 1
    log = sync.read_log(db)
    assert [e["status"] for e in log] == ["loaded", "unchanged", "failed"]
    first = log[0]
    # the office export: 1 patient, 1 procedure, 1 appointment, 1 split, 1 claim, 1 provider
    assert (first["batch_id"], first["rows_read"], first["rows_removed"]) == (1, 6, 0)
    assert "no export of Open Dental table(s) patient" in log[2]["error"]
    # no patient data in the log, readable by its owner only
    text = sync.log_path(db).read_text()
    assert "Last1" not in text and "First1" not in text
    assert stat.S_IMODE(os.stat(sync.log_path(db)).st_mode) == 0o600
    # caseboard loads shows the last refresh and the last failure
    capsys.readouterr()
    assert cli(["loads", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"last refreshed: {log[1]['finished_at']} UTC" in out
    assert f"last failure:   {log[2]['finished_at']} UTC" in out
    assert "no export of Open Dental table(s) patient" in out


def test_runs_never_overlap(export, tmp_path):
    db = tmp_path / "od.duckdb"
    lock = db.with_name(db.name + sync.LOCK_SUFFIX)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another run is going
        entries = sync.run_once(db, [sync.Job(paths=(str(export),))])
    assert [e["status"] for e in entries] == ["skipped"]
    assert not db.exists()  # nothing was loaded by the skipped run
    assert sync.run_once(db, [sync.Job(paths=(str(export),))])[0]["status"] == "loaded"


def test_every_n_minutes_and_at_set_times(export, tmp_path):
    db = tmp_path / "od.duckdb"
    now = [dt.datetime(2025, 6, 2, 6, 0)]
    slept = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += dt.timedelta(seconds=seconds)

    runs = sync.run_forever(db, [sync.Job(paths=(str(export),))],
                            sync.Schedule(every_minutes=15), max_runs=3,
                            clock=lambda: now[0], sleep=sleep)
    assert runs == 3 and sum(slept) == 2 * 15 * 60  # two waits of 15 minutes
    assert [e["status"] for e in sync.read_log(db)] == ["loaded", "unchanged", "unchanged"]
    at = sync.Schedule(times=sync.parse_times("12:30,07:00"))
    assert at.next_run(dt.datetime(2025, 6, 2, 6, 0)) == dt.datetime(2025, 6, 2, 7, 0)
    assert at.next_run(dt.datetime(2025, 6, 2, 12, 30)) == dt.datetime(2025, 6, 3, 7, 0)


def test_config_file(export, tmp_path, capsys):
    config = tmp_path / "sync.toml"
    config.write_text(
        'at = "07:00"\n[[load]]\n'
        f'path = "{export}"\nsource = "office"\n'
    )
    jobs, schedule = sync.read_config(config)
    assert jobs == [sync.Job(paths=(str(export),), source="office")]
    assert schedule.times == [dt.time(7, 0)]
    db = tmp_path / "od.duckdb"
    assert cli(["sync", "--config", str(config), "--db", str(db), "--once"]) == 0
    assert json.loads(sync.log_path(db).read_text().splitlines()[0])["source"] == "office"
    bad = tmp_path / "bad.toml"
    bad.write_text("every_minutes = 5\n")
    assert cli(["sync", "--config", str(bad), "--db", str(db), "--once"]) == 2
    assert "no [[load]] configured" in capsys.readouterr().err
