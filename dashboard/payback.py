"""The treatment-coordinator payback estimate (spec/metrics.md section 8), as pure arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class PaybackInputs:
    """The practice's own numbers the estimate starts from."""

    diagnosed_per_month: float
    current_rate: float | None
    collection_rate: float | None
    months_used: int


@dataclass(frozen=True)
class Payback:
    """Estimated monthly gain in collections and months to pay back one year's cost."""

    monthly_gain: float
    yearly_gain: float
    months_to_payback: float | None
    yearly_net: float


def payback_inputs(acceptance_monthly: pl.DataFrame, production_monthly: pl.DataFrame) -> PaybackInputs:
    """Average diagnosed fee per mature month, its acceptance rate, and the range's collection rate.

    Only mature months (their acceptance window has passed) count for the diagnosed
    fee and the rate, so recent months do not drag the rate down.
    """
    mature = acceptance_monthly.filter(pl.col("mature"))
    months = mature.height
    diagnosed = float(mature["diagnosed_amount"].sum() or 0) if months else 0.0
    accepted = float(mature["accepted_amount"].sum() or 0) if months else 0.0
    net = float(production_monthly["net_production"].sum() or 0) if production_monthly.height else 0.0
    collected = float(production_monthly["collections"].sum() or 0) if production_monthly.height else 0.0
    return PaybackInputs(
        diagnosed_per_month=diagnosed / months if months else 0.0,
        current_rate=accepted / diagnosed if diagnosed > 0 else None,
        collection_rate=collected / net if net > 0 else None,
        months_used=months,
    )


def payback(
    diagnosed_per_month: float,
    current_rate: float,
    target_rate: float,
    collection_rate: float,
    yearly_cost: float,
) -> Payback:
    """Gain = diagnosed per month x (target - current rate) x collection rate; payback = cost / gain.

    The collection rate is capped at 100% (collecting old balances does not make new
    treatment worth more than its fee). No gain (target at or below the current
    rate) means no payback: ``months_to_payback`` is None.
    """
    rate_gain = max(target_rate - current_rate, 0.0)
    monthly_gain = diagnosed_per_month * rate_gain * min(max(collection_rate, 0.0), 1.0)
    months = yearly_cost / monthly_gain if monthly_gain > 0 else None
    return Payback(
        monthly_gain=monthly_gain,
        yearly_gain=monthly_gain * 12,
        months_to_payback=months,
        yearly_net=monthly_gain * 12 - yearly_cost,
    )
