"""The weekly review's figures: one week, the week before, and the 4-week average (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

FLOW_KEYS = ["diagnosed_amount", "accepted_amount", "rate_amount", "gross_production",
             "collections", "new_patients"]
POINT_KEYS = ["unscheduled_amount", "ar_91_plus", "claims_over_30"]
TILE_KEYS = FLOW_KEYS + POINT_KEYS


def _sum(frame: pl.DataFrame | None, column: str, weeks: list[date]) -> float | None:
    if frame is None or column not in frame.columns:
        return None
    rows = frame.filter(pl.col("week_start").is_in(weeks))
    if rows.height == 0:
        return 0.0
    return float(rows[column].cast(pl.Float64).fill_null(0).sum())


def flow_values(acceptance: pl.DataFrame | None, production: pl.DataFrame | None,
                new_patients: pl.DataFrame | None, weeks: list[date]) -> dict[str, float | None]:
    """Totals of the weekly views over ``weeks`` (Mondays); the rate is accepted $ / diagnosed $."""
    diagnosed = _sum(acceptance, "diagnosed_amount", weeks)
    accepted = _sum(acceptance, "accepted_amount", weeks)
    return {
        "diagnosed_amount": diagnosed,
        "accepted_amount": accepted,
        "rate_amount": accepted / diagnosed if diagnosed and accepted is not None else None,
        "gross_production": _sum(production, "gross_production", weeks),
        "collections": _sum(production, "collections", weeks),
        "new_patients": _sum(new_patients, "count", weeks),
    }


def point_values(unscheduled: pl.DataFrame | None, ar: pl.DataFrame | None,
                 claims: pl.DataFrame | None) -> dict[str, float | None]:
    """Point-in-time figures from one-row views: unscheduled $, A/R 91+, claims over 30 days."""
    def first(frame: pl.DataFrame | None, columns: list[str]) -> float | None:
        if frame is None or frame.height == 0:
            return None
        row = frame.row(0, named=True)
        return float(sum(float(row[c] or 0) for c in columns))

    return {
        "unscheduled_amount": first(unscheduled, ["total_amount"]),
        "ar_91_plus": first(ar, ["ar_91_plus"]),
        "claims_over_30": first(claims, ["aging_31_60", "aging_61_90", "aging_91_plus"]),
    }


def average_points(points: list[dict[str, float | None]]) -> dict[str, float | None]:
    """Plain average of point-in-time figures over several dates (None values skipped)."""
    out: dict[str, float | None] = {}
    for key in POINT_KEYS:
        values = [p[key] for p in points if p.get(key) is not None]
        out[key] = sum(values) / len(values) if values else None
    return out


def four_week_average(acceptance: pl.DataFrame | None, production: pl.DataFrame | None,
                      new_patients: pl.DataFrame | None, monday: date,
                      points: list[dict[str, float | None]]) -> dict[str, float | None]:
    """Average week of the 4 weeks before ``monday``: flows / 4, rate over the 4 weeks pooled."""
    weeks = [monday - timedelta(days=7 * i) for i in range(1, 5)]
    totals = flow_values(acceptance, production, new_patients, weeks)
    averaged = {
        k: (v / 4 if v is not None and k != "rate_amount" else v) for k, v in totals.items()
    }
    return {**averaged, **average_points(points)}
