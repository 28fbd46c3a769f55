"""Range totals for the page tiles, from the monthly views (pure functions).

Sums are plain column totals; every rate is pooled by ``caseboard.rates`` (the one place
range rates are computed).
"""

from __future__ import annotations

import polars as pl

from caseboard.rates import COLLECTION_RATE, RATE_AMOUNT, SAME_DAY_SHARE, column_sum


def acceptance_totals(monthly: pl.DataFrame) -> dict[str, float | int | None]:
    """Diagnosed and accepted $ over all months shown; the rate and same-day share pooled over
    mature months only (recent months are provisional)."""
    mature = monthly.filter(pl.col("mature"))
    return {
        "diagnosed_amount": column_sum(monthly, "diagnosed_amount"),
        "accepted_amount": column_sum(monthly, "accepted_amount"),
        "rate_amount": RATE_AMOUNT.over(mature),
        "same_day_share": SAME_DAY_SHARE.over(mature),
        "mature_months": mature.height,
        "mature_diagnosed_amount": column_sum(mature, "diagnosed_amount"),
        "mature_accepted_amount": column_sum(mature, "accepted_amount"),
    }


def case_totals(cases: pl.DataFrame) -> dict[str, int]:
    """Cases, cases with some treatment accepted, cases accepted in full, over the months shown."""
    return {c: int(column_sum(cases, c)) for c in
            ("case_count", "accepted_cases", "fully_accepted_cases")}


def production_totals(monthly: pl.DataFrame) -> dict[str, float | None]:
    """Production, adjustments, net production and collections summed over the months shown,
    and collections / net production (None when net production is zero or less)."""
    out: dict[str, float | None] = {
        c: column_sum(monthly, c)
        for c in ("gross_production", "adjustments", "net_production", "collections")
    }
    out["collection_rate"] = COLLECTION_RATE.over(monthly)
    return out
