"""Goals (spec section 9): the one place that decides which period a goal is measured over,
and how a goal reads (label, target, actual, status, dates, whom it is for).

The weekly review, the Coordinator page and the weekly PDF all read goals through
``goal_request`` (the period: the one holding the reviewed date) and show them through
``goal_lines``; the figures and statuses come from the view metric_goal_progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from caseboard import metrics
from caseboard.review import periods
from caseboard.review.format import short_day
from caseboard.review.registry import GOAL_METRICS, goal_metric

VIEW = "metric_goal_progress"


class GoalError(ValueError):
    """A goal that cannot be saved (e.g. a rate target above 100 %)."""


def reviewed_date(as_of: date, monday: date | None = None) -> date:
    """The date a goal is reviewed at: the selected week's Sunday capped at A on the weekly
    review (``monday`` given), else A."""
    return as_of if monday is None else periods.point_in_time(monday, as_of)


def goal_request(params: metrics.MetricParams,
                 monday: date | None = None) -> tuple[str, metrics.MetricParams]:
    """The (view, params) request of the goals measured over the periods holding the reviewed
    date. ``params`` must be resolved (its as_of is the data's as-of date)."""
    return VIEW, params.but(as_of=reviewed_date(params.as_of, monday))


def is_rate(metric: str) -> bool:
    """Whether a goal metric is a rate (entered and shown as a percentage)."""
    item = goal_metric(metric)
    return item is not None and item.kind == "percent"


def target_from_input(metric: str, value: float) -> float:
    """The stored target for what was typed: rates in percent ('60' -> 0.60, refused above
    100), other metrics as typed (refused below 0)."""
    if metric not in GOAL_METRICS:
        raise GoalError(f"unknown goal metric {metric!r}")
    if value < 0:
        raise GoalError("A target cannot be negative.")
    if is_rate(metric):
        if value > 100:
            raise GoalError(f"A rate target is a percentage from 0 to 100; {value:g} % is "
                            "above 100 %.")
        return value / 100
    return float(value)


def target_for_input(metric: str, stored: float) -> float:
    """What the editor shows for a stored target (rates back in percent)."""
    return stored * 100 if is_rate(metric) else stored


@dataclass(frozen=True)
class GoalLine:
    """One goal as every page shows it."""

    goal_id: int
    metric: str
    label: str
    period: str
    direction: str
    target: float
    actual: float | None
    progress: float | None
    status: str
    period_start: date
    period_end: date
    measured_to: date
    practice_id: str | None
    member_id: str | None
    member_name: str | None

    @property
    def target_text(self) -> str:
        """The target in the metric's format ('60.0%', '$2,000', '1')."""
        return _format(self.metric, self.target)

    @property
    def actual_text(self) -> str:
        """The actual figure in the metric's format."""
        return _format(self.metric, self.actual)

    @property
    def dates(self) -> str:
        """The period measured: 'Mon Oct 5 – Sun Oct 11, 2026' (+ ', up to Wed Oct 7' if
        partial)."""
        end = self.period_end
        text = f"{short_day(self.period_start)} – {short_day(end)}, {end.year}"
        if self.measured_to < self.period_end:
            text += f", up to {short_day(self.measured_to)}"
        return text

    @property
    def owner(self) -> str:
        """Whom the goal is for: 'Dr. Lee, practice P1' or 'whole team, all practices'."""
        who = self.member_name or self.member_id or "whole team"
        where = f"practice {self.practice_id}" if self.practice_id else "all practices"
        return f"{who}, {where}"

    @property
    def summary(self) -> str:
        """'Accepted ≥ $2,000 a week: $1,200 · behind' (≤ for at-most goals)."""
        sign = "≤" if self.direction == "at most" else "≥"
        return (f"{self.label} {sign} {self.target_text} a {self.period}: "
                f"{self.actual_text} · {self.status}")


def _format(metric: str, value: float | None) -> str:
    item = goal_metric(metric)
    return item.format(value) if item else ("—" if value is None else f"{value:g}")


def goal_lines(frame: pl.DataFrame | None, practice_id: str | None = None) -> list[GoalLine]:
    """The goals of a metric_goal_progress frame, as shown; with ``practice_id`` only that
    practice's goals and those for all practices."""
    lines = []
    for row in ([] if frame is None else frame.iter_rows(named=True)):
        if practice_id is not None and row["practice_id"] not in (None, practice_id):
            continue
        item = goal_metric(row["metric"])
        lines.append(GoalLine(
            goal_id=int(row["goal_id"]), metric=row["metric"],
            label=item.label if item else row["metric"], period=row["period"],
            direction=row["direction"], target=float(row["target"]),
            actual=None if row["actual"] is None else float(row["actual"]),
            progress=row["progress"], status=row["status"],
            period_start=row["period_start"], period_end=row["period_end"],
            measured_to=row["measured_to"], practice_id=row["practice_id"],
            member_id=row["member_id"], member_name=row["member_name"],
        ))
    return lines
