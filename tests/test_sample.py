"""The synthetic practice generator: deterministic, schema-valid, and telling its story.

Files are read back here with a small reader of the test's own (Polars, with the
encodings, delimiters and formats the spec allows), so the checks do not lean
on the generator's writer or on the project's ingest code.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from caseboard.commands import sample as sample_command
from caseboard.sample import generate, practice_configs
from caseboard.sample.writer import NOT_GENERATED, _amount, _amount_commas, _dollars
from pipelines.schema import TABLES, Kind

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "sample_data"
END = dt.date(2026, 10, 31)
HIRE = dt.date(2025, 5, 1)
EXTRA_COLUMNS = {"tooth", "payer"}
NOT_ACCEPTANCE = ("D9986", "D9987")


# --- an independent reader --------------------------------------------------------------
def _file(folder: Path, table: str) -> Path:
    found = [p for p in folder.iterdir() if p.stem == table]
    assert len(found) == 1, f"{table}: expected one file in {folder}, found {found}"
    return found[0]


def _raw(folder: Path, table: str) -> pl.DataFrame:
    """A table as text columns, headers normalised the way the spec allows."""
    path = _file(folder, table)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    header = text.splitlines()[0]
    sep = max(",;\t", key=header.count)
    frame = pl.read_csv(text.encode(), separator=sep, infer_schema=False)
    return frame.rename({c: re.sub(r"[\s\-]+", "_", c.strip().lower()) for c in frame.columns})


def _date_expr(name: str) -> pl.Expr:
    raw = pl.col(name).str.slice(0, 10).str.strip_chars()
    return pl.coalesce(
        raw.str.to_date("%Y-%m-%d", strict=False),
        raw.str.to_date("%m/%d/%Y", strict=False),
    )


def _amount_expr(name: str) -> pl.Expr:
    raw = pl.col(name).str.replace_all(r"[\$,]", "")
    negative = raw.str.starts_with("(")
    number = raw.str.strip_chars("()").cast(pl.Float64)
    return pl.when(negative).then(-number).otherwise(number)


def _typed(folder: Path, table: str) -> pl.DataFrame:
    frame = _raw(folder, table)
    spec = TABLES[table]
    exprs = []
    for column in spec.columns:
        if column.kind is Kind.DATE:
            exprs.append(_date_expr(column.name))
        elif column.kind is Kind.DATETIME:
            exprs.append(pl.col(column.name).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False))
        elif column.kind is Kind.AMOUNT:
            exprs.append(_amount_expr(column.name))
    return frame.with_columns(exprs)


def _tables(folder: Path) -> dict[str, pl.DataFrame]:
    return {table: _typed(folder, table) for table in TABLES}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate(out, months=8, seed=7)
    return out


@pytest.fixture(scope="module")
def shipped() -> dict[str, pl.DataFrame]:
    return _tables(SHIPPED)


# --- formatting, by hand -----------------------------------------------------------------
def test_amount_formats():
    # 123450 cents = 1,234.50 dollars; -1200 cents = -12.00, written (12.00) in the $ style
    assert _amount(123450) == "1234.50"
    assert _amount(-5) == "-0.05"
    assert _amount_commas(123450) == "1,234.50"
    assert _dollars(123450) == "$1,234.50"
    assert _dollars(-1200) == "(12.00)"
    assert _dollars(100000000) == "$1,000,000.00"


# --- determinism ----------------------------------------------------------------------
def test_same_seed_gives_same_bytes_and_another_seed_differs(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(tmp_path / name, months=3, seed=seed)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert len(files) == len(TABLES)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "procedures.csv").read_bytes() != (
        tmp_path / "c" / "procedures.csv"
    ).read_bytes()


def test_shipped_sample_regenerates_byte_for_byte_and_stays_small(tmp_path):
    code = sample_command.main(["--out", str(tmp_path), "--seed", "1"])
    assert code == 0
    shipped = sorted(p.name for p in SHIPPED.iterdir() if p.name != "README.md")
    assert shipped == sorted(p.name for p in tmp_path.iterdir())
    for name in shipped:
        assert (SHIPPED / name).read_bytes() == (tmp_path / name).read_bytes(), name
    total = sum(p.stat().st_size for p in SHIPPED.iterdir())
    assert total < 10 * 1024 * 1024


def test_cli_rejects_a_bad_end_date(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        sample_command.main(["--out", str(tmp_path), "--end", "2026-02-30"])
    assert exit_info.value.code == 2


# --- the schema -------------------------------------------------------------------------
def test_messy_formats_are_the_documented_ones(small):
    assert _file(small, "patients").read_bytes().startswith(b"\xef\xbb\xbf")
    payments = _file(small, "payments").read_bytes()
    payments.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        # at least one payer name with an accent, written as a single Windows-1252 byte
        payments.decode("utf-8")
    assert payments.splitlines()[0].count(b";") == 7
    assert _file(small, "treatment_plans").suffix == ".txt"
    assert b"Member-ID" in _file(small, "team").read_bytes()
    adjustments = _raw(small, "adjustments")
    assert adjustments["date"].str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$").all()


def _check_schema(folder: Path) -> dict[str, pl.DataFrame]:
    tables = {table: _raw(folder, table) for table in TABLES}
    typed = {table: _typed(folder, table) for table in TABLES}
    for table, spec in TABLES.items():
        raw = tables[table]
        left_out = set(NOT_GENERATED.get(table, ()))  # optional, the sample has no values
        assert set(spec.column_names) - left_out == set(spec.column_names) & set(raw.columns), table
        assert set(raw.columns) - set(spec.column_names) <= EXTRA_COLUMNS, table
        frame = typed[table]
        assert frame[spec.key].null_count() == 0 and frame[spec.key].is_unique().all(), table
        for column in (c for c in spec.columns if c.name not in left_out):
            values = raw[column.name]
            if column.required:
                assert values.null_count() == 0, (table, column.name)
            if column.kind is Kind.ENUM:
                assert set(values.drop_nulls().unique()) <= set(column.values), (table, column)
            if column.kind in (Kind.DATE, Kind.DATETIME, Kind.AMOUNT):
                # every non-empty cell parsed
                assert frame[column.name].null_count() == values.null_count(), (table, column)
        for column, target in spec.references.items():
            ids = set(typed[target][TABLES[target].key])
            assert set(frame[column].drop_nulls()) <= ids, (table, column)
    return typed


def test_small_export_follows_the_schema(small):
    t = _check_schema(small)
    procs = t["procedures"]
    done = procs.filter(pl.col("status") == "completed")
    assert done["completed_date"].null_count() == 0
    assert procs.filter(pl.col("status") != "completed")["completed_date"].null_count() == (
        procs.filter(pl.col("status") != "completed").height
    )
    # bookings come on or after diagnosis, visits on or after booking, work on the visit
    assert procs.filter(pl.col("scheduled_date") < pl.col("diagnosed_date")).height == 0
    assert procs.filter(pl.col("appointment_date") < pl.col("scheduled_date")).height == 0
    assert (done["completed_date"] == done["appointment_date"]).all()
    # nothing happens after the end date except booked future appointments
    for table, column in (("procedures", "completed_date"), ("payments", "date"),
                          ("claims", "received_date"), ("adjustments", "date")):
        assert t[table][column].max() <= dt.date(2026, 10, 31), (table, column)


def test_completed_work_sits_on_a_completed_appointment(small):
    t = _tables(small)
    visits = t["appointments"].filter(pl.col("status") == "completed").select(
        "patient_id", pl.col("start").dt.date().alias("completed_date")
    ).unique()
    done = t["procedures"].filter(
        pl.col("status") == "completed", ~pl.col("code").is_in(NOT_ACCEPTANCE)
    )
    missing = done.join(visits, on=["patient_id", "completed_date"], how="anti")
    assert missing.height == 0
    future = t["procedures"].filter(pl.col("appointment_date") > END)
    assert future.height > 0 and (future["status"] == "planned").all()
    booked = t["appointments"].filter(pl.col("status") == "scheduled")
    assert (booked["start"].dt.date() > END).all()


def test_insurance_payments_match_received_claims(small):
    t = _tables(small)
    claims = t["claims"]
    received = claims.filter(pl.col("status") == "received")
    assert (received["paid_amount"] <= received["estimate_amount"] + 1e-9).all()
    assert (claims["estimate_amount"] <= claims["billed_amount"] + 1e-9).all()
    assert claims.filter(pl.col("status") != "received")["received_date"].null_count() == (
        claims.filter(pl.col("status") != "received").height
    )
    insurance = t["payments"].filter(pl.col("source") == "insurance")
    paid_claims = received.filter(pl.col("paid_amount") > 0)
    # one insurance payment per paid claim: same count and the same total
    assert insurance.height == paid_claims.height
    assert insurance["amount"].sum() == pytest.approx(paid_claims["paid_amount"].sum())


# --- several practices -----------------------------------------------------------------
def test_multi_practice_ids_are_prefixed_and_never_collide(tmp_path):
    generate(tmp_path, practices=3, months=2, seed=5)
    t = _check_schema(tmp_path)
    assert set(t["patients"]["practice_id"]) == {"p001", "p002", "p003"}
    for table, spec in TABLES.items():
        frame = t[table]
        assert frame[spec.key].is_unique().all(), table
        prefix = frame[spec.key].str.extract(r"^(p\d{3})-", 1)
        assert (prefix == frame["practice_id"]).all(), table
    # plain flavour: ISO dates and schema headers
    header = (tmp_path / "patients.csv").read_text().splitlines()[0]
    assert header == ",".join(TABLES["patients"].column_names)
    standard = pytest.importorskip("pipelines.standard")
    assert standard.read_export([tmp_path]).rejects == []


def test_worker_processes_write_the_same_bytes(tmp_path):
    # The parallel run goes through the real CLI in its own process: spawned workers
    # re-import __main__, which Streamlit's AppTest (run earlier in a pytest worker)
    # leaves pointing at an app script.
    generate(tmp_path / "serial", practices=3, months=1, seed=11, jobs=1)
    subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "sample", "--out", str(tmp_path / "parallel"),
         "--practices", "3", "--months", "1", "--seed", "11", "--jobs", "2"],
        check=True, capture_output=True, timeout=300,
    )
    for path in (tmp_path / "serial").iterdir():
        assert path.read_bytes() == (tmp_path / "parallel" / path.name).read_bytes(), path.name


def test_practice_configs_are_stable_and_vary():
    one = practice_configs(4, 36, 9, END)
    again = practice_configs(4, 36, 9, END)
    assert one == again
    assert len({c.scale for c in one}) == 4
    assert [c.practice_id for c in one] == ["p001", "p002", "p003", "p004"]
    single = practice_configs(1, 36, 1, END)[0]
    # 36 months ending 2026-10-31 start 2023-11-01; the coordinator starts 18 months in
    assert (single.start, single.hire) == (dt.date(2023, 11, 1), HIRE)


# --- the story of the shipped sample -----------------------------------------------------
def test_shipped_sample_follows_the_schema():
    _check_schema(SHIPPED)


def _diagnosed(t: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Acceptance per metrics.md section 1, written out independently (W = 90 days)."""
    return t["procedures"].filter(
        pl.col("status").is_in(["planned", "completed", "inactive"]),
        ~pl.col("code").str.contains(r"^D[01]"),
        ~pl.col("code").is_in(NOT_ACCEPTANCE),
    ).with_columns(
        accepted_date=pl.min_horizontal("scheduled_date", "completed_date"),
    ).with_columns(
        accepted=pl.col("accepted_date").is_not_null()
        & (pl.col("accepted_date") <= pl.col("diagnosed_date") + pl.duration(days=90))
        & (pl.col("accepted_date") <= END)
    )


def _rate(frame: pl.DataFrame) -> float:
    return frame.filter("accepted")["fee"].sum() / frame["fee"].sum()


def test_acceptance_rises_after_the_coordinator_starts(shipped):
    dx = _diagnosed(shipped)
    before = dx.filter(pl.col("diagnosed_date").is_between(dt.date(2024, 11, 1), HIRE,
                                                           closed="left"))
    after = dx.filter(pl.col("diagnosed_date").is_between(HIRE, dt.date(2025, 11, 1),
                                                          closed="left"))
    # by amount: about 45% in the 6 months before, about 65% in the 6 months after
    assert 0.35 < _rate(before) < 0.55
    assert 0.58 < _rate(after) < 0.78
    assert _rate(after) - _rate(before) > 0.1
    coordinator = shipped["team"].filter(pl.col("role") == "coordinator")["member_id"]
    presented = shipped["treatment_plans"].filter(pl.col("presented_date") >= HIRE)
    share = presented["presenter_id"].is_in(coordinator.implode()).mean()
    assert 0.75 < share < 0.95
    assert shipped["treatment_plans"].filter(
        pl.col("presented_date") < HIRE, pl.col("presenter_id").is_in(coordinator.implode())
    ).height == 0


def test_big_plans_are_accepted_less_often(shipped):
    dx = _diagnosed(shipped).filter(pl.col("plan_id").is_not_null())
    plans = dx.group_by("plan_id").agg(
        pl.col("fee").sum().alias("case_fee"), pl.col("accepted").any().alias("any_accepted")
    )
    big = plans.filter(pl.col("case_fee") > 2000)["any_accepted"].mean()
    small = plans.filter(pl.col("case_fee") <= 2000)["any_accepted"].mean()
    assert big < small - 0.05


def test_active_and_new_patients_match_the_story(shipped):
    patients = shipped["patients"].with_columns(pl.col("status").fill_null("active"))
    done = shipped["procedures"].filter(
        pl.col("status") == "completed", ~pl.col("code").is_in(NOT_ACCEPTANCE)
    )
    # active: a completed procedure in (2025-04-30, 2026-10-31] (18 months ending A),
    # status not deceased / archived / prospective / nonpatient
    seen = done.filter(pl.col("completed_date") > dt.date(2025, 4, 30))["patient_id"].unique()
    active = patients.filter(
        pl.col("patient_id").is_in(seen.implode()),
        ~pl.col("status").is_in(["deceased", "archived", "prospective", "nonpatient"]),
    ).height
    assert 1350 <= active <= 1750
    # new: first_visit_date, else the first completed procedure, counted per month
    first = done.group_by("patient_id").agg(pl.col("completed_date").min().alias("first_done"))
    new = (
        patients.filter(~pl.col("status").is_in(["prospective", "nonpatient"]))
        .join(first, on="patient_id", how="left")
        .with_columns(first_visit=pl.coalesce("first_visit_date", "first_done"))
        .filter(pl.col("first_visit") >= dt.date(2023, 11, 1))
        .group_by(pl.col("first_visit").dt.truncate("1mo"))
        .len()
    )
    assert new.height == 36
    assert new["len"].min() >= 25 and new["len"].max() <= 80
    assert 45 <= new["len"].mean() <= 56
    # some first visits are left for the reader to derive
    assert 0 < patients["first_visit_date"].null_count() < patients.height // 4


def test_the_newest_event_is_the_end_date(shipped):
    # metrics take A = the newest event date: it must be 2026-10-31, a Saturday (the
    # office is closed, but mailed and online payments still arrive)
    newest = max(
        shipped["payments"]["date"].max(),
        shipped["procedures"]["scheduled_date"].max(),
        shipped["procedures"]["completed_date"].max(),
    )
    assert newest == END


def test_money_and_statuses_cover_every_case(shipped):
    t = shipped
    assert set(t["claims"]["status"]) == {"unsent", "hold", "sent", "received"}
    stale = t["claims"].filter(
        pl.col("status") == "sent", pl.col("sent_date") < END - dt.timedelta(days=90)
    )
    assert stale.height > 0
    assert set(t["payments"]["source"]) == {"patient", "insurance", "financing"}
    assert "CareCredit" in set(t["payments"]["method"])
    assert t["payments"].filter(pl.col("amount") < 0).height > 0
    kinds = t["adjustments"].group_by("kind").agg(
        pl.col("amount").min().alias("low"), pl.col("amount").max().alias("high")
    )
    signs = {kind: (low, high) for kind, low, high in kinds.iter_rows()}
    assert signs["insurance_writeoff"][1] < 0 and signs["discount"][1] < 0
    assert signs["charge"][0] > 0
    statuses = set(t["patients"]["status"].fill_null("active"))
    assert statuses == {"active", "inactive", "archived", "deceased", "prospective", "nonpatient"}
    assert set(t["procedures"]["status"]) == {
        "planned", "completed", "existing", "referred", "condition", "inactive", "deleted",
    }
    assert set(t["appointments"]["status"]) == {
        "scheduled", "completed", "broken", "unscheduled", "planned",
    }
    assert t["patients"]["phone"].drop_nulls().str.contains(r"^\(\d{3}\) 555-01\d{2}$").all()
    assert t["patients"]["email"].drop_nulls().str.ends_with("@example.com").all()


def test_collections_track_net_production(shipped):
    gross = shipped["procedures"].filter(pl.col("status") == "completed")["fee"].sum()
    net = gross + shipped["adjustments"]["amount"].sum()
    collected = shipped["payments"]["amount"].sum()
    # over the 36 months, collections are 95-99% of net production
    assert 0.95 <= collected / net <= 0.99
    # a few patients paid more than they were charged (credit balances)
    charges = shipped["procedures"].filter(pl.col("status") == "completed").group_by(
        "patient_id").agg(pl.col("fee").sum().alias("charged"))
    adjusted = shipped["adjustments"].group_by("patient_id").agg(
        pl.col("amount").sum().alias("adjusted"))
    paid = shipped["payments"].group_by("patient_id").agg(pl.col("amount").sum().alias("paid"))
    balance = paid.join(charges, on="patient_id", how="left").join(
        adjusted, on="patient_id", how="left"
    ).fill_null(0).with_columns(
        owed=pl.col("charged") + pl.col("adjusted") - pl.col("paid")
    )
    credits = balance.filter(pl.col("owed") < -0.005).height
    assert 1 <= credits <= 60


def test_shipped_sample_reads_without_rejects():
    standard = pytest.importorskip("pipelines.standard")
    result = standard.read_export([SHIPPED], practice_id="sample")
    assert result.rejects == []
    for table in TABLES:
        assert result.frames[table].height == _raw(SHIPPED, table).height, table
