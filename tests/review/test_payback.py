"""Coordinator payback and readiness verdict: arithmetic checked by hand."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from caseboard.review.payback import payback, payback_inputs, readiness_verdict


def test_payback_months_from_gain():
    # gain = 100,000 diagnosed/month x (0.60 - 0.50) x 0.95 collected = 9,500 a month
    # payback = 60,000 / 9,500 = 6.3158 months; yearly gain 114,000; net 114,000 - 60,000
    result = payback(100_000, 0.50, 0.60, 0.95, 60_000)
    assert result.monthly_gain == pytest.approx(9_500)
    assert result.yearly_gain == pytest.approx(114_000)
    assert result.months_to_payback == pytest.approx(60_000 / 9_500)
    assert result.yearly_net == pytest.approx(54_000)


def test_no_gain_means_no_payback():
    # target 0.40 below the current 0.50: no extra acceptance, nothing to pay back with
    result = payback(100_000, 0.50, 0.40, 0.95, 60_000)
    assert result.monthly_gain == 0
    assert result.months_to_payback is None
    assert result.yearly_net == -60_000


def test_collection_rate_capped_at_one():
    # 1.10 collected (old balances) counts as 1.0: 20,000 x 0.25 x 1.0 = 5,000/month
    result = payback(20_000, 0.25, 0.50, 1.10, 30_000)
    assert result.monthly_gain == pytest.approx(5_000)
    assert result.months_to_payback == pytest.approx(6.0)


def test_inputs_use_mature_months_with_treatment():
    acceptance = pl.DataFrame({
        "month": [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)],
        "diagnosed_amount": [Decimal("0"), Decimal("10000"), Decimal("30000"), Decimal("50000")],
        "accepted_amount": [Decimal("0"), Decimal("4000"), Decimal("18000"), Decimal("1000")],
        "mature": [True, True, True, False],
    })
    production = pl.DataFrame({
        "net_production": [Decimal("20000"), Decimal("30000")],
        "collections": [Decimal("19000"), Decimal("29000")],
    })
    inputs = payback_inputs(acceptance, production)
    # January is empty and April immature: (10,000 + 30,000) / 2 months = 20,000 a month
    assert inputs.months_used == 2
    assert inputs.diagnosed_per_month == pytest.approx(20_000)
    # (4,000 + 18,000) / 40,000 = 0.55
    assert inputs.current_rate == pytest.approx(0.55)
    # 48,000 collected / 50,000 net = 0.96
    assert inputs.collection_rate == pytest.approx(0.96)


def test_inputs_without_production():
    acceptance = pl.DataFrame({"month": [date(2026, 1, 1)], "diagnosed_amount": [0.0],
                               "accepted_amount": [0.0], "mature": [True]})
    production = pl.DataFrame(schema={"net_production": pl.Float64, "collections": pl.Float64})
    inputs = payback_inputs(acceptance, production)
    assert (inputs.diagnosed_per_month, inputs.current_rate, inputs.collection_rate) == (0.0, None,
                                                                                        None)


def test_readiness_verdicts():
    assert readiness_verdict(1600, 52.3, 1500, 50).startswith("Ready: 1,600 active patients")
    # 1,500 - 1,200 = 300 short; 50 - 40.5 = 9.5 short
    text = readiness_verdict(1200, 40.5, 1500, 50)
    assert "300 more active patients" in text
    assert "9.5 more new patients a month" in text
    assert readiness_verdict(None, None, 1500, 50).startswith("Not enough data")
