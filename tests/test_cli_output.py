"""The CLI's text output reads right, and a reader that stops early is not an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from caseboard.commands.metrics import summary
from caseboard.settings import ROOT, SAMPLE_DATA_DIR


def _metrics_object() -> dict:
    """A hand-made metrics object (the shape of `caseboard metrics --json`)."""
    month = {"month": "2026-02", "diagnosed_amount": 12345.5, "accepted_amount": 0.0,
             "rate_amount": None, "rate_count": 0.5, "mature": True, "diagnosed_count": 2,
             "accepted_count": 1}
    return {
        "as_of": "2026-02-28", "practice": None, "window_days": 90,
        "acceptance": {"months": [month]},
        "new_patients": {"months": [{"month": "2026-02", "count": 1234}]},
        "production": {"months": [{"month": "2026-02", "gross_production": 2000.0,
                                   "adjustments": -150.25, "net_production": 1849.75,
                                   "collections": 1500.0, "collection_rate": 0.8109}]},
        "unscheduled": {"aging": {"0-30": 100.0, "31-90": 0.0, "91-180": 0.0, "181-365": 0.0,
                                  "365+": 2500.0},
                        "total_amount": 2600.0, "procedure_count": 1589, "patient_count": 12},
        "ar_aging": {"0-30": 10.0, "31-60": 20.0, "61-90": 30.0, "91+": 1040.0, "total": 1100.0,
                     "credit_balances": 1664.0},
        "claims_outstanding": {"aging": {"0-30": 1.0, "31-60": 2.0, "61-90": 3.0, "91+": 4.0},
                               "amount": 10.0, "count": 1001},
        "active_patients": 1589,
        "readiness": {"new_patients_avg_3m": 52.0, "ready": True},
    }


def test_text_summary_titles_buckets_and_separators():
    """Each aging table has its own title with the date and one bucket scheme; counts and
    amounts carry thousands separators; a missing rate is '—'."""
    text = summary(_metrics_object())
    assert "As of A" not in text and " / " not in text, "no placeholder title, no mixed header"
    assert "as of Feb 28, 2026" in text.splitlines()[0]
    lines = text.splitlines()
    unscheduled = lines.index("Unscheduled treatment as of Feb 28, 2026, by days since diagnosis")
    assert lines[unscheduled + 1].split() == ["0-30", "31-90", "91-180", "181-365", "365+",
                                              "total"]
    # 100 + 0 + 0 + 0 + 2,500 = 2,600
    assert lines[unscheduled + 2].split()[-1] == "$2,600.00"
    receivables = lines.index("A/R and outstanding claims as of Feb 28, 2026, by days")
    assert lines[receivables + 1].split() == ["0-30", "31-60", "61-90", "91+", "total"]
    assert lines[receivables + 2].split()[-2:] == ["$1,040.00", "$1,100.00"]
    month = next(line for line in lines if line.startswith("Feb 2026") and "yes" in line)
    # diagnosed 12,345.50; accepted 0; rate $ missing; rate # 50.0%; 1,234 new patients
    assert month.split() == ["Feb", "2026", "$12,345.50", "$0.00", "—", "50.0%", "yes", "1,234"]
    assert "Active patients: 1,589" in text
    assert "Unscheduled: 1,589 procedures, 12 patients" in text
    assert "Outstanding claims: 1,001" in text
    assert "Credit balances: $1,664.00" in text
    assert "-$150.25" in text


def _closed_stdout_run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run `caseboard ARGV` with its stdout a pipe whose reader has already gone (as after
    `| head` has read what it wanted): every write to stdout fails with EPIPE."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "caseboard.cli", *argv], stdout=write,
                              stderr=subprocess.PIPE, text=True, cwd=cwd, timeout=300,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    finally:
        os.close(write)


def test_metrics_json_into_a_closed_pipe_exits_quietly(sample_db_master, tmp_path):
    """`caseboard metrics --json | head`: no traceback, no 'unexpected error', exit 141."""
    done = _closed_stdout_run(["metrics", "--db", str(sample_db_master), "--json"], tmp_path)
    assert done.stderr == ""
    assert done.returncode == 141


def test_ingest_into_a_closed_pipe_does_not_claim_the_database_was_left(tmp_path):
    """The load commits, then printing its summary fails: nothing may say 'the database was
    left as it was', and the batch is there."""
    db = tmp_path / "cb.duckdb"
    done = _closed_stdout_run(["ingest", str(SAMPLE_DATA_DIR), "--db", str(db),
                               "--practice", "sample", "--json"], tmp_path)
    assert "left as it was" not in done.stderr and "unexpected error" not in done.stderr
    assert done.returncode == 141
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("select count(*) from loads").fetchall() == [(1,)]


@pytest.mark.parametrize("argv", [["loads"], ["rejects"]])
def test_other_commands_into_a_closed_pipe(sample_db_master, tmp_path, argv):
    """Every command goes through the same handler."""
    done = _closed_stdout_run([*argv, "--db", str(sample_db_master)], tmp_path)
    assert done.stderr == "" and done.returncode in (0, 141)
