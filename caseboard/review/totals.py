"""Range totals for the page tiles, from the monthly views (pure functions)."""

from __future__ import annotations

import polars as pl


def _total(frame: pl.DataFrame, column: str) -> float:
    return float(frame[column].sum() or 0) if frame.height else 0.0


def acceptance_totals(monthly: pl.DataFrame) -> dict[str, float | int | None]:
    """Diagnosed and accepted $ over all months shown; the rate and same-day share pooled over
    mature months only (recent months are provisional)."""
    mature = monthly.filter(pl.col("mature"))
    diagnosed = _total(mature, "diagnosed_amount")
    return {
        "diagnosed_amount": _total(monthly, "diagnosed_amount"),
        "accepted_amount": _total(monthly, "accepted_amount"),
        "rate_amount": _total(mature, "accepted_amount") / diagnosed if diagnosed else None,
        "same_day_share": _total(mature, "same_day_amount") / diagnosed if diagnosed else None,
        "mature_months": mature.height,
        "mature_diagnosed_amount": diagnosed,
        "mature_accepted_amount": _total(mature, "accepted_amount"),
    }


def case_totals(cases: pl.DataFrame) -> dict[str, int]:
    """Cases, cases with some treatment accepted, cases accepted in full, over the months shown."""
    return {c: int(_total(cases, c)) for c in
            ("case_count", "accepted_cases", "fully_accepted_cases")}


def production_totals(monthly: pl.DataFrame) -> dict[str, float | None]:
    """Production, adjustments, net production and collections summed over the months shown,
    and collections / net production (None when net production is zero or less)."""
    out: dict[str, float | None] = {
        c: _total(monthly, c)
        for c in ("gross_production", "adjustments", "net_production", "collections")
    }
    net = out["net_production"]
    out["collection_rate"] = out["collections"] / net if net and net > 0 else None
    return out
