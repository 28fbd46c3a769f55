"""CLI edges: absurd dates, windows and ranges get a plain refusal (exit 2), and a closed
output pipe after a load does not claim the load was undone."""

from __future__ import annotations

import subprocess

import pytest

from caseboard.commands import metrics as metrics_command
from caseboard.storage import read_connection
from pipelines.ingest import ingest_paths
from tests.security.exports import ROOT, load_command, write_export


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    write_export(root / "export", 3)
    path = root / "db.duckdb"
    ingest_paths([root / "export"], db=path, practice_id="p1")
    return path


@pytest.mark.parametrize(("args", "message"), [
    (["--as-of", "0001-01-01"], "the as-of date 0001-01-01 is outside 1900-01-01 to 2999-12-31"),
    (["--as-of", "9999-12-31"], "the as-of date 9999-12-31 is outside"),
    (["--window", "99999999999"], "window days must be between 0 and 3,650 (10 years)"),
    (["--from", "0001-01", "--to", "9999-12"], "the first month 0001-01-01 is outside"),
    # 2015-01 .. 2025-12 is 11 * 12 = 132 months, over the 120-month bound
    (["--from", "2015-01", "--to", "2025-12"], "covers 132 months; at most 120 (10 years)"),
])
def test_absurd_parameters_are_refused_plainly(db, capsys, args, message):
    assert metrics_command.main(["--db", str(db), "--json", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and "select" not in err.lower()
    assert "Conversion Error" not in err


def test_ten_years_of_months_is_still_allowed(db, capsys):
    # 2016-01 .. 2025-12: 10 * 12 = 120 months, the bound itself
    assert metrics_command.main(["--db", str(db), "--json", "--from", "2016-01",
                                 "--to", "2025-12"]) == 0
    assert '"2016-01"' in capsys.readouterr().out


def test_a_closed_pipe_after_a_load_does_not_say_it_was_undone(tmp_path):
    write_export(tmp_path / "export", 4)
    db = tmp_path / "db.duckdb"
    load = subprocess.Popen(load_command(tmp_path / "export", db), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    load.stdout.close()  # `caseboard ingest ... | true`: the reader is gone before the output
    err = load.stderr.read()
    load.wait(timeout=120)
    # a closed pipe is normal (issue 16): the command stops quietly with 141 (128 + SIGPIPE)
    assert "left as it was" not in err and "unexpected error" not in err
    assert load.returncode == 141
    with read_connection(db) as con:
        assert con.sql("select count(*) from raw_patients").fetchall() == [(4,)]
