"""Practices side by side: per-practice totals over the months shown (pure functions)."""

from __future__ import annotations

import polars as pl

from caseboard.review.totals import acceptance_totals, production_totals


def acceptance_by_practice(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per practice: diagnosed $ and accepted $ of mature months, and their pooled rate."""
    rows = []
    for practice, frame in frames.items():
        mature = frame.filter(pl.col("mature"))
        sums = acceptance_totals(mature)
        rows.append({"practice_id": practice, "diagnosed_amount": sums["diagnosed_amount"],
                     "accepted_amount": sums["accepted_amount"],
                     "rate_amount": sums["rate_amount"]})
    return pl.DataFrame(rows, schema={"practice_id": pl.Utf8, "diagnosed_amount": pl.Float64,
                                      "accepted_amount": pl.Float64, "rate_amount": pl.Float64})


def production_by_practice(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per practice: net production, collections and collections / net production."""
    rows = []
    for practice, frame in frames.items():
        sums = production_totals(frame)
        rows.append({"practice_id": practice, "net_production": sums["net_production"],
                     "collections": sums["collections"],
                     "collection_rate": sums["collection_rate"]})
    return pl.DataFrame(rows, schema={"practice_id": pl.Utf8, "net_production": pl.Float64,
                                      "collections": pl.Float64,
                                      "collection_rate": pl.Float64})
