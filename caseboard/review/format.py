"""Display formats: money as money, rates as percentages, counts with separators."""

from __future__ import annotations

import math


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | int | None) -> str:
    """Format dollars with no cents: 12345.6 -> '$12,346', -50 -> '-$50'; None -> '—'."""
    if _missing(value):
        return "—"
    amount = round(float(value))
    return f"-${-amount:,}" if amount < 0 else f"${amount:,}"


def money_delta(value: float | int | None) -> str | None:
    """Format a signed dollar change: 1200 -> '+$1,200', -300 -> '-$300'; None stays None."""
    if _missing(value):
        return None
    amount = round(float(value))
    return f"+${amount:,}" if amount >= 0 else f"-${-amount:,}"


def percent(value: float | None, digits: int = 1) -> str:
    """Format a rate 0..1 as a percentage: 0.4567 -> '45.7%'; None -> '—'."""
    if _missing(value):
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def points_delta(value: float | None) -> str | None:
    """Format a change of a rate in percentage points: 0.031 -> '+3.1 pts'."""
    if _missing(value):
        return None
    return f"{float(value) * 100:+.1f} pts"


def count(value: float | int | None) -> str:
    """Format a count with thousands separators: 1500 -> '1,500'; None -> '—'."""
    if _missing(value):
        return "—"
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.1f}"


def count_delta(value: float | int | None) -> str | None:
    """Format a signed count change: 3 -> '+3', -2.5 -> '-2.5'."""
    if _missing(value):
        return None
    number = float(value)
    return f"{number:+,.0f}" if number == int(number) else f"{number:+,.1f}"


FORMATTERS = {"money": money, "percent": percent, "count": count}
DELTAS = {"money": money_delta, "percent": points_delta, "count": count_delta}


def fmt(kind: str, value: float | int | None) -> str:
    """Format ``value`` by kind ('money', 'percent' or 'count')."""
    return FORMATTERS[kind](value)


def fmt_delta(kind: str, value: float | int | None) -> str | None:
    """Format a change of ``value`` by kind ('money', 'percent' or 'count')."""
    return DELTAS[kind](value)
