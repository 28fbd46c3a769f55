"""Calendar helpers for the pickers: weeks run Monday to Sunday, months are calendar months."""

from __future__ import annotations

from datetime import date, timedelta


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def last_complete_week(as_of: date) -> date:
    """The Monday of the newest week whose Sunday is on or before ``as_of``."""
    monday = week_start(as_of)
    return monday if as_of.weekday() == 6 else monday - timedelta(days=7)


def week_end(monday: date) -> date:
    """The Sunday closing the week that starts on ``monday``."""
    return monday + timedelta(days=6)


def point_in_time(monday: date, as_of: date) -> date:
    """The date a point-in-time figure is read for a week: its Sunday, capped at ``as_of``."""
    return min(week_end(monday), as_of)


def month_start(day: date) -> date:
    """The first day of the month holding ``day``."""
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) the month starting ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_month_range(as_of: date, months: int = 12) -> tuple[date, date]:
    """The first days of the first and last month of the ``months`` months ending with as_of's."""
    last = month_start(as_of)
    return add_months(last, -(months - 1)), last


def recent_weeks(as_of: date, count: int = 26) -> list[date]:
    """Mondays of the ``count`` newest complete weeks, newest first."""
    newest = last_complete_week(as_of)
    return [newest - timedelta(days=7 * i) for i in range(count)]


def week_range(
    month_from: date, month_to: date, as_of: date, max_weeks: int = 26
) -> tuple[date, date]:
    """Mondays of the first and last week shown for a month range: at most ``max_weeks`` weeks,
    ending with the week holding the range's last day (or as_of, if earlier)."""
    last_day = add_months(month_to, 1) - timedelta(days=1)
    week_to = week_start(min(last_day, as_of))
    week_from = max(week_start(month_from), week_to - timedelta(days=7 * (max_weeks - 1)))
    return week_from, week_to


def month_range_dates(month_from: date, month_to: date, as_of: date) -> tuple[date, date]:
    """First and last day of a month range, the last capped at ``as_of``."""
    return month_from, min(add_months(month_to, 1) - timedelta(days=1), as_of)
