"""Practices side by side: pooled per-practice totals, checked by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from dashboard import charts, compare


def test_acceptance_by_practice_pools_mature_months():
    a = pl.DataFrame({"month": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
                      "diagnosed_amount": [Decimal("1000"), Decimal("3000"), Decimal("9000")],
                      "accepted_amount": [Decimal("800"), Decimal("1200"), Decimal("0")],
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


def test_production_by_practice():
    frame = compare.production_by_practice({
        "north": pl.DataFrame({"net_production": [Decimal("1000"), Decimal("3000")],
                               "collections": [Decimal("900"), Decimal("3100")]}),
        "south": pl.DataFrame({"net_production": [Decimal("-50")],
                               "collections": [Decimal("10")]}),
    })
    north, south = frame.rows(named=True)
    # north: 4,000 collected / 4,000 net = 1.0; south: net <= 0 -> no rate
    assert north["collection_rate"] == pytest.approx(1.0)
    assert south["collection_rate"] is None
    assert charts.comparison_chart(frame, "collections", "Collections").data[0].text == (
        "$4,000", "$10")
