"""Pooled rates, defined once: a rate over several rows is sum(numerator) / sum(denominator).

A rate shown for a range (the acceptance tile over the mature months shown, the weekly
review's week or 4 weeks, the collection rate over the months shown, each month of
``caseboard metrics --json``) is never an average of the views' per-row rates: it pools
the parts. The page tiles (``caseboard.review.totals``), the weekly review and its report
(``caseboard.review.weekly``) and the JSON (``caseboard.metrics.metrics_json``) all compute
it here, and the registry (``caseboard.review.registry``) names the formula of each.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl


@dataclass(frozen=True)
class PooledRate:
    """A rate over a set of rows: the sum of ``numerator`` over the sum of ``denominator``.

    Undefined (None) when the denominator is missing or zero, and with ``positive_only``
    also when it is negative (collections over a net production of zero or less).
    """

    key: str
    numerator: str
    denominator: str
    positive_only: bool = False

    @property
    def formula(self) -> str:
        """The formula in words of columns, e.g. 'sum(accepted_amount) / sum(diagnosed_amount)'."""
        condition = " > 0" if self.positive_only else " != 0"
        return (f"sum({self.numerator}) / sum({self.denominator}), "
                f"when sum({self.denominator}){condition}")

    def of(self, numerator: Any, denominator: Any) -> Any:
        """The rate from parts already summed (floats, or exact Decimals for exact rates)."""
        if numerator is None or denominator is None or denominator == 0:
            return None
        if self.positive_only and denominator < 0:
            return None
        return numerator / denominator

    def exact(self, row: dict[str, Any]) -> Decimal | None:
        """The rate of one row's (or summed) parts as an exact Decimal (nulls as 0)."""
        return self.of(Decimal(str(row[self.numerator] or 0)),
                       Decimal(str(row[self.denominator] or 0)))

    def over(self, frame: pl.DataFrame) -> float | None:
        """The rate pooled over every row of ``frame`` (nulls as 0; None without rows)."""
        return self.of(column_sum(frame, self.numerator), column_sum(frame, self.denominator))


def column_sum(frame: pl.DataFrame, column: str) -> float:
    """A column's total as a float (nulls as 0; 0.0 without rows)."""
    return float(frame[column].sum() or 0) if frame.height else 0.0


RATE_AMOUNT = PooledRate("rate_amount", "accepted_amount", "diagnosed_amount")
RATE_COUNT = PooledRate("rate_count", "accepted_count", "diagnosed_count")
SAME_DAY_SHARE = PooledRate("same_day_share", "same_day_amount", "diagnosed_amount")
COLLECTION_RATE = PooledRate("collection_rate", "collections", "net_production",
                             positive_only=True)

POOLED: dict[str, PooledRate] = {
    rate.key: rate for rate in (RATE_AMOUNT, RATE_COUNT, SAME_DAY_SHARE, COLLECTION_RATE)
}
