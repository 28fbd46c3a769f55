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


def payback_inputs(
    acceptance_monthly: pl.DataFrame, production_monthly: pl.DataFrame
) -> PaybackInputs:
    """Average diagnosed fee per mature month, its acceptance rate, and the range's collection rate.

    Only mature months (their acceptance window has passed) with diagnosed treatment
    count for the diagnosed fee and the rate, so recent months do not drag the rate
    down and months before the data starts do not dilute the average.
    """
    mature = acceptance_monthly.filter(pl.col("mature") & (pl.col("diagnosed_amount") > 0))
    months = mature.height
    diagnosed = float(mature["diagnosed_amount"].sum() or 0) if months else 0.0
    accepted = float(mature["accepted_amount"].sum() or 0) if months else 0.0
    has_production = production_monthly.height > 0
    net = float(production_monthly["net_production"].sum() or 0) if has_production else 0.0
    collected = float(production_monthly["collections"].sum() or 0) if has_production else 0.0
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
    """Gain = diagnosed/month x (target - current rate) x collection rate; payback = cost / gain.

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


def readiness_verdict(active: float | None, new_avg: float | None, ready_active: int,
                      ready_new: int) -> str:
    """A plain sentence on whether the practice is ready for a treatment coordinator."""
    if active is None or new_avg is None:
        return "Not enough data to judge readiness yet."
    gaps = []
    if active < ready_active:
        gaps.append(f"{ready_active - active:,.0f} more active patients (has {active:,.0f} "
                    f"of {ready_active:,})")
    if new_avg < ready_new:
        gaps.append(f"{ready_new - new_avg:,.1f} more new patients a month (averages "
                    f"{new_avg:,.1f} of {ready_new:,})")
    if not gaps:
        return (f"Ready: {active:,.0f} active patients (threshold {ready_active:,}) and "
                f"{new_avg:,.1f} new patients a month (threshold {ready_new:,}).")
    return "Not ready yet: needs " + " and ".join(gaps) + "."
