"""Hostile and broken exports end in a load or a clear refusal naming the file, never a crash,
a hang or runaway memory; SQL-looking text is stored and shown verbatim."""

from __future__ import annotations

import contextlib
import faulthandler
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.ingest import ingest_paths
from pipelines.model import ExportRefused
from pipelines.standard import read_export
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    ROOT,
    patient_row,
    procedure_row,
    write_csv,
)

EXAMPLE_TIMEOUT_S = 20
PEAK_RSS_LIMIT_MB = 2500
FAST = settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@contextlib.contextmanager
def time_limit(seconds: int):
    """Fail (not hang) when a read takes longer than ``seconds``; a hard dump after 3x."""

    def expire(signum, frame):
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    faulthandler.dump_traceback_later(seconds * 3, exit=True)
    try:
        yield
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)


def good_export(folder: Path) -> Path:
    """Two patients and three procedures, all valid."""
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P1", "Ann", "Lee", phone="555-010-0001", birth_date="1980-04-02"),
        patient_row("P2", "Bo", "Ng", status="inactive"),
    ])
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row("X1", "P1"),
        procedure_row("X2", "P1", fee="$1,234.50", status="completed",
                      completed_date="01/20/2026"),
        procedure_row("X3", "P2", fee="(12.00)"),
    ])
    return folder


def assert_clear_refusal(refusal: ExportRefused, folder: Path) -> None:
    """Every reason names a file of the export (and a row when it is about one row)."""
    names = {p.name for p in folder.iterdir()} | {"patients.csv", "procedures.csv"}
    assert refusal.rejects
    for reject in refusal.rejects:
        assert reject.reason.strip()
        assert any(name in reject.reason for name in names), reject.reason
        if reject.row is not None:
            assert f"row {reject.row}" in reject.reason, reject.reason


def read_or_refuse(folder: Path):
    """Read the export: a ReadResult, or None after checking the refusal is clear."""
    with time_limit(EXAMPLE_TIMEOUT_S):
        try:
            result = read_export([folder], practice_id="p1")
        except ExportRefused as refusal:
            assert_clear_refusal(refusal, folder)
            return None
    for reject in result.rejects:
        assert reject.file in {"patients.csv", "procedures.csv"}
        assert reject.row is None or f"row {reject.row}" in reject.reason, reject.reason
    return result


def load_or_refuse(folder: Path, db: Path):
    """Read and load: a LoadSummary, or None after checking the refusal is clear."""
    with time_limit(EXAMPLE_TIMEOUT_S * 2):
        try:
            return ingest_paths([folder], db=db, practice_id="p1", source_id="s")
        except ExportRefused as refusal:
            assert_clear_refusal(refusal, folder)
            return None


@pytest.fixture
def scratch():
    """A fresh folder per hypothesis example (tmp_path is shared across examples)."""

    @contextlib.contextmanager
    def make():
        folder = Path(tempfile.mkdtemp(prefix="caseboard-hostile-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return make


@FAST
@given(content=st.binary(max_size=4000))
def test_random_bytes_as_a_table(scratch, content):
    with scratch() as folder:
        good_export(folder)
        (folder / "patients.csv").write_bytes(content)
        read_or_refuse(folder)


@FAST
@given(
    cut=st.floats(min_value=0.0, max_value=1.0),
    table=st.sampled_from(["patients", "procedures"]),
)
def test_truncated_files(scratch, cut, table):
    with scratch() as folder:
        good_export(folder)
        path = folder / f"{table}.csv"
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * cut)])
        read_or_refuse(folder)


@FAST
@given(
    data=st.data(),
    byte=st.sampled_from([b"\x00", b"\xff", b"\xfe\xff", b"\r", b'"', b"\n", b"\x1a", b";", b"\t"]),
)
def test_nul_and_odd_bytes_spliced_in(scratch, data, byte):
    with scratch() as folder:
        good_export(folder)
        path = folder / "procedures.csv"
        raw = path.read_bytes()
        at = data.draw(st.integers(min_value=0, max_value=len(raw)))
        path.write_bytes(raw[:at] + byte * data.draw(st.integers(1, 3)) + raw[at:])
        read_or_refuse(folder)


@FAST
@given(
    encoding=st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "utf-8-sig"]),
    name=st.text(alphabet="ÄÖÜßéèçñøæœ€ŠŽ", min_size=1, max_size=12),
)
def test_wrong_encodings(scratch, encoding, name):
    with scratch() as folder:
        good_export(folder)
        path = folder / "patients.csv"
        text = path.read_text(encoding="utf-8").replace("Ann", name)
        try:
            path.write_bytes(text.encode(encoding))
            exact = True
        except UnicodeEncodeError:
            path.write_bytes(text.encode(encoding, errors="replace"))
            exact = False
        result = read_or_refuse(folder)
        if exact and encoding in {"utf-8-sig", "cp1252"}:
            # the two encodings the spec accepts are read back as they were written
            assert result is not None
            assert name in result.frames["patients"]["first_name"].to_list()


ODD_DATES = [
    "0000-00-00", "0001-01-01", "9999-12-31", "2025-02-30", "6/31/2025", "13/01/2025",
    "2025-13-01", "1/1/1", "-2025-01-01", "2025-01-01T25:61:00", "20250101", "1e10",
    "   ", "NULL", "2025-1-1", "99999-01-01", "02/29/2023", "02/29/2024", "2025/01/02",
]
ODD_AMOUNTS = [
    "1e308", "-1e308", "NaN", "inf", "-inf", "$-", "(", "()", "1,2,3", "--5", "+5",
    "99999999999999999999.99", "0.00001", "$(1,234.50)", "1.2.3", "1 000", "12,",
    "-0", "($12.00)", "9223372036854775808",
]


@FAST
@given(
    date=st.sampled_from(ODD_DATES),
    amount=st.sampled_from(ODD_AMOUNTS),
    column=st.sampled_from(["diagnosed_date", "completed_date", "scheduled_date"]),
)
def test_odd_dates_and_amounts_read_or_refuse_rows(scratch, date, amount, column):
    with scratch() as folder:
        good_export(folder)
        write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
            procedure_row("X1", "P1", fee=amount, **{column: date}),
            procedure_row("X2", "P2"),
        ])
        result = read_or_refuse(folder)
        assert result is not None  # a bad cell refuses its row, not the export
        assert "X2" in result.frames["procedures"]["procedure_id"].to_list()


def test_every_odd_date_and_amount_in_one_load(tmp_path):
    """All the odd values at once through the real loader: the good row lands, none crash."""
    export = good_export(tmp_path / "export")
    rows = [procedure_row("GOOD", "P2")]
    rows += [procedure_row(f"D{i}", "P1", diagnosed_date=d) for i, d in enumerate(ODD_DATES)]
    rows += [procedure_row(f"C{i}", "P1", status="completed", completed_date=d)
             for i, d in enumerate(ODD_DATES)]
    rows += [procedure_row(f"A{i}", "P1", fee=a) for i, a in enumerate(ODD_AMOUNTS)]
    write_csv(export / "procedures.csv", PROCEDURE_COLUMNS, rows)
    summary = load_or_refuse(export, tmp_path / "db.duckdb")
    assert summary is not None
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as con:
        fees = dict(con.sql("select procedure_id, fee::varchar from raw_procedures").fetchall())
    assert fees["GOOD"] == "1000.0000"
    refused = {r.key for r in summary.rejects}
    assert len(fees) + len(refused) == len(rows)  # every row either landed or was quarantined
    # well-formed but impossible dates are unparseable (spec): refused, never guessed
    for i, d in enumerate(ODD_DATES):
        if d in {"0000-00-00", "2025-02-30", "6/31/2025", "13/01/2025", "2025-13-01",
                 "02/29/2023", "NULL", "1e10"}:
            assert f"D{i}" in refused, d
    # amounts beyond Decimal(18, 4), NaN and infinities never land as numbers
    for i, a in enumerate(ODD_AMOUNTS):
        if a in {"1e308", "-1e308", "NaN", "inf", "-inf", "99999999999999999999.99",
                 "9223372036854775808", "$-", "(", "()", "1.2.3"}:
            assert f"A{i}" in refused, a
    assert fees.get(f"A{ODD_AMOUNTS.index('($12.00)')}") in {"-12.0000", None}


@pytest.mark.parametrize("fee", ["٣٤", "１２３", "1٣"])
def test_non_ascii_digits_in_an_amount_quarantine_the_row(tmp_path, fee):
    export = good_export(tmp_path / "export")
    write_csv(export / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row("X1", "P1", fee=fee), procedure_row("X2", "P2"),
    ])
    summary = load_or_refuse(export, tmp_path / "db.duckdb")
    assert summary is not None
    assert [(r.key, r.column) for r in summary.rejects] == [("X1", "fee")]


@pytest.mark.parametrize("fee", ["--5", "-$-5"])
def test_double_minus_amount_is_refused_not_guessed(tmp_path, fee):
    export = good_export(tmp_path / "export")
    write_csv(export / "procedures.csv", PROCEDURE_COLUMNS, [procedure_row("X1", "P1", fee=fee)])
    result = read_or_refuse(export)
    assert [(r.key, r.column) for r in result.rejects] == [("X1", "fee")]


def test_huge_field_is_refused_or_loaded_within_limits(tmp_path):
    good_export(tmp_path)
    huge = "Z" * (5 * 1024**2)
    write_csv(tmp_path / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P1", huge, "Lee"), patient_row("P2", "Bo", "Ng"),
    ])
    read_or_refuse(tmp_path)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < PEAK_RSS_LIMIT_MB


def test_header_with_150k_columns(tmp_path):
    good_export(tmp_path)
    path = tmp_path / "patients.csv"
    header, *rows = path.read_text().splitlines()
    extra = ",".join(f"junk{i}" for i in range(150_000))
    path.write_text("\n".join([header + "," + extra] + [r + "," * 150_000 for r in rows]) + "\n")
    result = read_or_refuse(tmp_path)
    if result is not None:
        assert result.frames["patients"].height == 2
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < PEAK_RSS_LIMIT_MB


def test_header_line_of_a_million_columns_in_a_subprocess(tmp_path):
    """Measured in its own process so its peak memory is its own (limit PEAK_RSS_LIMIT_MB)."""
    good_export(tmp_path)
    path = tmp_path / "procedures.csv"
    header, *rows = path.read_text().splitlines()
    path.write_text(header + "," + ",".join("x" for _ in range(1_000_000)) + "\n"
                    + "\n".join(rows) + "\n")
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from pipelines.model import ExportRefused\n"
        "from pipelines.standard import read_export\n"
        "try:\n"
        "    read_export([Path(sys.argv[1])], practice_id='p1'); print('read')\n"
        "except ExportRefused as e:\n"
        "    print('refused', e.rejects[0].reason[:200])\n"
        "print('peak_mb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1000:]
    peak = int(done.stdout.split("peak_mb")[1])
    assert peak < PEAK_RSS_LIMIT_MB, done.stdout


SQL_TEXT = [
    "'; drop table raw_patients; --",
    'Robert"); DELETE FROM raw_procedures; --',
    "O'Brien \\ back\\slash",
    "$$ select 1 $$",
    "1' or '1'='1",
    "getvariable('as_of')",
]


def test_sql_fragments_are_stored_and_shown_verbatim(tmp_path):
    export = tmp_path / "export"
    ids = ["P'1", 'P"2', "P\\3", "P;4--", "P 5' or 1=1", "P$$6"]
    write_csv(export / "patients.csv", PATIENT_COLUMNS, [
        patient_row(pid, name, name[::-1], referral_source=name, practice_id="p'1")
        for pid, name in zip(ids, SQL_TEXT, strict=True)
    ])
    write_csv(export / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row(f"X{pid}", pid, description=name, practice_id="p'1")
        for pid, name in zip(ids, SQL_TEXT, strict=True)
    ])
    db = tmp_path / "db.duckdb"
    source = "s'; drop table loads; --"
    summary = ingest_paths([export], db=db, practice_id="p'1", source_id=source)
    assert summary.rejects == []
    with duckdb.connect(str(db), read_only=True) as con:
        patients = con.sql(
            "select patient_id, first_name, last_name, referral_source, source_id, practice_id "
            "from raw_patients order by patient_id"
        ).fetchall()
        procedures = dict(con.sql("select patient_id, description from stg_procedures").fetchall())
        batches = con.sql(
            "select count(*) from loads where source_id = ?", params=[source]
        ).fetchall()
    assert batches == [(1,)]
    expected = sorted(
        (pid, name, name[::-1], name, source, "p'1")
        for pid, name in zip(ids, SQL_TEXT, strict=True)
    )
    assert patients == expected
    assert procedures == dict(zip(ids, SQL_TEXT, strict=True))


def test_sql_fragments_in_the_worklist_and_rejects(tmp_path):
    from datetime import date

    from caseboard.metrics import MetricParams, query_view

    export = tmp_path / "export"
    name = "'; drop table raw_patients; --"
    write_csv(export / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P'1", name, 'Lee"); --', phone="555-000-0001"),
        patient_row("P2", "Bo", "Ng", birth_date="x'); drop table loads; --"),
    ])
    write_csv(export / "procedures.csv", PROCEDURE_COLUMNS, [procedure_row("X'1", "P'1")])
    db = tmp_path / "db.duckdb"
    summary = ingest_paths([export], db=db, practice_id="p1")
    assert [r.value for r in summary.rejects] == ["x'); drop table loads; --"]
    with duckdb.connect(str(db), read_only=True) as con:
        worklist = query_view(
            con, "metric_unscheduled_worklist", MetricParams(as_of=date(2026, 3, 1))
        )
    rows = worklist.select("patient_id", "first_name", "last_name").rows()
    assert rows == [("P'1", name, 'Lee"); --')]
    done = subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "rejects", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0
    assert "x'); drop table loads; --" in done.stdout


def test_row_with_extra_fields_is_named_by_row(tmp_path):
    export = good_export(tmp_path / "export")
    with open(export / "patients.csv", "a", encoding="utf-8") as handle:
        handle.write("P9,p1,Cy,Po,,,,active,,,surplus\n")  # header + 2 rows before: row 4
    try:
        result = read_export([export], practice_id="p1")
    except ExportRefused as refusal:
        assert any("row 4" in r.reason for r in refusal.rejects), refusal.rejects
    else:
        assert [(r.file, r.row) for r in result.rejects] == [("patients.csv", 4)]
