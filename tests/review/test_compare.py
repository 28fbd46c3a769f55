"""Practices side by side: pooled per-practice totals, checked by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from caseboard.review import charts, compare


def test_acceptance_by_practice_pools_mature_months():
    a = pl.DataFrame({"month": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
                      "diagnosed_amount": [Decimal("1000"), Decimal("3000"), Decimal("9000")],
                      "accepted_amount": [Decimal("800"), Decimal("1200"), Decimal("0")],
                      "same_day_amount": [Decimal("0")] * 3,
                      "mature": [True, True, False]})
    b = a.with_columns(pl.lit(False).alias("mature"))
    frame = compare.acceptance_by_practice({"north": a, "south": b})
    north, south = frame.rows(named=True)
    # north: (800 + 1,200) / (1,000 + 3,000) = 0.5; March is immature and left out
    assert north == {"practice_id": "north", "diagnosed_amount": 4000.0,
                     "accepted_amount": 2000.0, "rate_amount": 0.5}
    # south has no mature month: no rate rather than 0%
    assert south["rate_amount"] is None
    fig = charts.comparison_chart(frame, "rate_amount", "Acceptance rate", "percent")
    assert list(fig.data[0].x) == ["north", "south"]
    assert list(fig.data[0].text) == ["50.0%", None]


def _production(net: list[str], collected: list[str]) -> pl.DataFrame:
    zeros = [Decimal("0")] * len(net)
    return pl.DataFrame({"gross_production": zeros, "adjustments": zeros,
                         "net_production": [Decimal(v) for v in net],
                         "collections": [Decimal(v) for v in collected]})


def test_production_by_practice():
    frame = compare.production_by_practice({
        "north": _production(["1000", "3000"], ["900", "3100"]),
        "south": _production(["-50"], ["10"]),
    })
    north, south = frame.rows(named=True)
    # north: 4,000 collected / 4,000 net = 1.0; south: net <= 0 -> no rate
    assert north["collection_rate"] == pytest.approx(1.0)
    assert south["collection_rate"] is None
    assert charts.comparison_chart(frame, "collections", "Collections").data[0].text == (
        "$4,000", "$10")


def test_acceptance_totals_pool_mature_months():
    from caseboard.review.totals import acceptance_totals, case_totals, production_totals

    monthly = pl.DataFrame({
        "diagnosed_amount": [Decimal("1000"), Decimal("3000"), Decimal("2000")],
        "accepted_amount": [Decimal("500"), Decimal("2500"), Decimal("100")],
        "same_day_amount": [Decimal("100"), Decimal("300"), Decimal("0")],
        "mature": [True, True, False],
    })
    sums = acceptance_totals(monthly)
    # all months: 1,000 + 3,000 + 2,000 = 6,000 diagnosed; 500 + 2,500 + 100 = 3,100 accepted
    assert (sums["diagnosed_amount"], sums["accepted_amount"]) == (6000.0, 3100.0)
    # mature months only: 3,000 / 4,000 = 0.75; same day 400 / 4,000 = 0.1
    assert sums["rate_amount"] == pytest.approx(0.75)
    assert sums["same_day_share"] == pytest.approx(0.1)
    assert sums["mature_months"] == 2
    cases = pl.DataFrame({"case_count": [3, 4], "accepted_cases": [2, 1],
                          "fully_accepted_cases": [1, 0]})
    assert case_totals(cases) == {"case_count": 7, "accepted_cases": 3, "fully_accepted_cases": 1}
    production = pl.DataFrame({"gross_production": [Decimal("1000")],
                               "adjustments": [Decimal("-100")],
                               "net_production": [Decimal("900")],
                               "collections": [Decimal("810")]})
    # 810 / 900 = 0.9
    assert production_totals(production)["collection_rate"] == pytest.approx(0.9)
