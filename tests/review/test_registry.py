"""Every registry entry names a view and columns that exist, a spec section, and pooled rates
that agree with the views' own per-row rates."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from caseboard import metrics
from caseboard.publish import publishing
from caseboard.rates import COLLECTION_RATE, POOLED, RATE_AMOUNT
from caseboard.review.registry import METRICS, SPEC
from caseboard.review.totals import acceptance_totals, production_totals
from caseboard.storage import read_connection

ROOT = Path(__file__).resolve().parents[2]
# The spec lives beside the repository (../shared/spec; a worktree is one folder deeper).
SPEC_FILE = next((folder / "shared" / "spec" / "metrics.md" for folder in ROOT.parents[:2]
                  if (folder / "shared" / "spec" / "metrics.md").exists()), ROOT / "missing")


@pytest.fixture(scope="module")
def view_columns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The columns of every mart view, from an empty published database."""
    db = tmp_path_factory.mktemp("registry") / "empty.duckdb"
    with publishing(db, store=False):
        pass
    with read_connection(db) as con:  # the data and the people's entries, as every reader
        return {view: set(con.sql(f"select * from {view} limit 0").columns)  # noqa: S608
                for view in metrics.view_names()}


@pytest.mark.parametrize("key", sorted(METRICS))
def test_every_entry_names_an_existing_view_and_columns(key: str,
                                                        view_columns: dict[str, set[str]]):
    entry = METRICS[key]
    assert entry.spec in SPEC.values()
    if entry.view is None:  # computed in Python: it says where
        assert entry.computed and not entry.columns and entry.pooled is None
        for view in (word for word in entry.computed.split() if word.startswith("metric_")):
            assert view in view_columns
        return
    assert entry.view in view_columns
    assert entry.columns or entry.pooled is not None
    needed = set(entry.columns)
    if entry.pooled is not None:
        needed |= {entry.pooled.numerator, entry.pooled.denominator}
    assert needed <= view_columns[entry.view], needed - view_columns[entry.view]


def test_every_pooled_rate_is_in_the_registry():
    named = {entry.pooled.key: key for key, entry in METRICS.items() if entry.pooled}
    assert set(named) == set(POOLED)
    assert all(named[rate] == rate for rate in named)


@pytest.mark.skipif(not SPEC_FILE.exists(), reason="the spec lives beside the repository")
def test_every_cited_section_is_a_heading_of_the_spec():
    headings = {line[3:].strip() for line in SPEC_FILE.read_text().splitlines()
                if line.startswith("## ")}
    assert set(SPEC.values()) <= headings


def test_pooled_rates_by_hand():
    # months: (diagnosed 1000, accepted 600, mature), (500, 100, mature), (800, 0, not mature)
    # tile rate pools the mature months: (600 + 100) / (1000 + 500) = 0.4666...
    monthly = pl.DataFrame({"diagnosed_amount": [1000.0, 500.0, 800.0],
                            "accepted_amount": [600.0, 100.0, 0.0],
                            "same_day_amount": [300.0, 0.0, 0.0],
                            "mature": [True, True, False]})
    sums = acceptance_totals(monthly)
    assert sums["rate_amount"] == pytest.approx(700 / 1500)
    assert sums["same_day_share"] == pytest.approx(300 / 1500)  # same-day 300 of mature 1500
    assert sums["diagnosed_amount"] == 2300.0  # every month shown: 1000 + 500 + 800
    # collections (900 + 100) / net (1000 + 0) = 1.0; net <= 0 gives no rate
    production = pl.DataFrame({"gross_production": [1200.0, 0.0],
                               "adjustments": [-200.0, 0.0], "net_production": [1000.0, 0.0],
                               "collections": [900.0, 100.0]})
    assert production_totals(production)["collection_rate"] == pytest.approx(1.0)
    assert COLLECTION_RATE.of(50.0, -10.0) is None
    assert RATE_AMOUNT.of(0.0, 0.0) is None
    assert RATE_AMOUNT.exact({"accepted_amount": "1", "diagnosed_amount": "3"}) == (
        Decimal(1) / Decimal(3))


def test_a_months_pooled_rate_equals_the_views_own_column(one_practice_db: Path):
    # one row pooled alone is the row's rate: the formula and the view's column agree
    with duckdb.connect(str(one_practice_db), read_only=True) as con:
        monthly = metrics.query_view(con, "metric_acceptance_monthly", metrics.MetricParams())
        production = metrics.query_view(con, "metric_production_monthly",
                                        metrics.MetricParams())
    checked = 0
    for frame, rate in ((monthly, POOLED["rate_amount"]), (monthly, POOLED["rate_count"]),
                        (production, POOLED["collection_rate"])):
        for i in range(frame.height):
            row = frame.slice(i, 1)
            column = row[rate.key][0]
            pooled = rate.over(row)
            if column is None:
                assert pooled is None
            else:
                assert pooled == pytest.approx(float(column))
                checked += 1
    assert checked > 3
