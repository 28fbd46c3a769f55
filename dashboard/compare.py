"""Practices side by side: per-practice totals over the months shown (pure functions)."""

from __future__ import annotations

import polars as pl


def acceptance_by_practice(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per practice: diagnosed $, accepted $ and the pooled rate over its mature months."""
    rows = []
    for practice, frame in frames.items():
        mature = frame.filter(pl.col("mature"))
        diagnosed = float(mature["diagnosed_amount"].sum() or 0)
        accepted = float(mature["accepted_amount"].sum() or 0)
        rows.append({"practice_id": practice, "diagnosed_amount": diagnosed,
                     "accepted_amount": accepted,
                     "rate_amount": accepted / diagnosed if diagnosed else None})
    return pl.DataFrame(rows, schema={"practice_id": pl.Utf8, "diagnosed_amount": pl.Float64,
                                      "accepted_amount": pl.Float64, "rate_amount": pl.Float64})


def production_by_practice(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Per practice: net production, collections and collections / net production."""
    rows = []
    for practice, frame in frames.items():
        net = float(frame["net_production"].sum() or 0)
        collected = float(frame["collections"].sum() or 0)
        rows.append({"practice_id": practice, "net_production": net, "collections": collected,
                     "collection_rate": collected / net if net > 0 else None})
    return pl.DataFrame(rows, schema={"practice_id": pl.Utf8, "net_production": pl.Float64,
                                      "collections": pl.Float64,
                                      "collection_rate": pl.Float64})
