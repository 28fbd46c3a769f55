"""Display formats, one place for every front-end (pages, PDF, CLI text).

Money as whole dollars ('$12,346'; cents only where a figure ties out to the cent),
rates as percentages, counts with thousands separators, dates and weeks US style
('Feb 6, 2024', 'Mon Oct 19 – Sun Oct 25, 2026'), load times with their time zone, and
'—' for a missing value.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

MISSING = "—"
# The same formats for table columns drawn by the browser (moment.js / Streamlit patterns):
# a date as day() writes it, and whole dollars as money() writes them.
TABLE_DATE = "MMM D, YYYY"
TABLE_MONEY = {"format": "dollar", "step": 1}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | int | None, cents: bool = False) -> str:
    """Dollars: 12345.6 -> '$12,346' ('$12,345.60' with cents), -50 -> '-$50'; None -> '—'."""
    if _missing(value):
        return MISSING
    if cents:
        amount = round(float(value), 2)
        return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"
    amount = round(float(value))
    return f"-${-amount:,}" if amount < 0 else f"${amount:,}"


def day(value: date | datetime | None) -> str:
    """A date: 'Feb 6, 2024'; None -> '—'."""
    if value is None:
        return MISSING
    return f"{value:%b} {value.day}, {value.year}"


def short_day(value: date | datetime) -> str:
    """A date within a known year: 'Mon Oct 19'."""
    return f"{value:%a %b} {value.day}"


def week(monday: date) -> str:
    """A Monday-to-Sunday week: 'Mon Oct 19 – Sun Oct 25, 2026'."""
    sunday = monday + timedelta(days=6)
    return f"{short_day(monday)} – {short_day(sunday)}, {sunday.year}"


def week_label(monday: date) -> str:
    """A week on a chart axis, by its Monday: 'Oct 5'."""
    return f"{monday:%b} {monday.day}"


def month(value: date | datetime | None) -> str:
    """A month: 'Oct 2026'; None -> '—'."""
    return MISSING if value is None else f"{value:%b %Y}"


def day_time(value: datetime | date | None, missing: str = MISSING) -> str:
    """A date with its time of day: 'Dec 18, 2026, 9:00 AM' (a bare date: 'Dec 18, 2026')."""
    if value is None:
        return missing
    if not isinstance(value, datetime):
        return day(value)
    return f"{day(value)}, {value.hour % 12 or 12}:{value:%M %p}"


def load_time(value: datetime | None) -> str:
    """When a load finished (stored as UTC), in this computer's time zone, saying which:
    'Dec 7, 2026, 11:27 PM UTC'; None -> 'never'."""
    if value is None:
        return "never"
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    local = aware.astimezone()
    return f"{day_time(local)} {local.tzname()}"


def text(value: object) -> str:
    """Any value for display: '—' when missing, else its text."""
    return MISSING if _missing(value) or value == "" else str(value)


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


def is_flat(kind: str, delta: float | int | None) -> bool:
    """True when a change shows as nothing in its format ('+$0', '+0', '+0.0 pts')."""
    if _missing(delta):
        return True
    if kind == "percent":
        return abs(float(delta)) < 0.0005
    if kind == "money":
        return round(float(delta)) == 0
    return round(float(delta), 1) == 0


NO_CHANGE = "no change"


FORMATTERS = {"money": money, "percent": percent, "count": count}
DELTAS = {"money": money_delta, "percent": points_delta, "count": count_delta}


def fmt(kind: str, value: float | int | None) -> str:
    """Format ``value`` by kind ('money', 'percent' or 'count')."""
    return FORMATTERS[kind](value)


def fmt_delta(kind: str, value: float | int | None) -> str | None:
    """Format a change of ``value`` by kind ('money', 'percent' or 'count')."""
    return DELTAS[kind](value)
