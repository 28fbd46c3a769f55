"""The weekly review's figures: one week, the week before, and the 4-week average.

Comparisons are made at equal age (spec section 1): last week and the 4 weeks before
are measured the same number of days after they ended as the week shown
(``comparison_age``); the history chart keeps reading acceptance without a cap.

``read_week`` is the one list of view requests behind the weekly review: the
dashboard's page (through the cached ``dashboard.data.load_week``) and the weekly
owner report (``caseboard.report.model``) both read a week through it. It needs an
open connection but no Streamlit; everything else here is pure Polars.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from caseboard import metrics
from caseboard.rates import RATE_AMOUNT
from caseboard.review import goals, periods
from caseboard.review.format import count

FLOW_KEYS = ["diagnosed_amount", "accepted_amount", "rate_amount", "gross_production",
             "collections", "new_patients"]
POINT_KEYS = ["unscheduled_amount", "ar_91_plus", "claims_over_30"]
TILE_KEYS = FLOW_KEYS + POINT_KEYS
TREND_WEEKS = 13  # the week shown and the 12 before it (trend chart, last week, 4-week average)
AVERAGE_WEEKS = 4
GROUP = "group"  # the column telling stacked groups apart (a position in a list)
FLOW_VIEWS = ("metric_acceptance_weekly", "metric_production_weekly",
              "metric_new_patients_weekly")
POINT_VIEWS = ("metric_unscheduled", "metric_ar_aging", "metric_claims_outstanding")


def comparison_age(monday: date, as_of: date) -> int:
    """The age of a comparison with the week of ``monday`` as the newest week: A - its
    Sunday in days, 0 if negative (spec section 1)."""
    return max(0, (as_of - periods.week_end(monday)).days)


def age_words(age_days: int | None, period: str = "week") -> str:
    """The age a comparison used, in words: 'every week measured 6 days after it ended'."""
    if age_days is None:
        return f"every {period} measured up to the as-of date"
    if age_days == 0:
        return f"every {period} measured on the day it ended"
    unit = "day" if age_days == 1 else "days"
    return f"every {period} measured {count(age_days)} {unit} after it ended"


def flow_values(acceptance: pl.DataFrame | None, production: pl.DataFrame | None,
                new_patients: pl.DataFrame | None, weeks: list[date]) -> dict[str, float | None]:
    """Totals of the weekly views over ``weeks`` (Mondays); the rate pooled over them
    (``caseboard.rates.RATE_AMOUNT``)."""
    group = [pl.lit(0).alias(GROUP)]
    return flow_values_by(*(None if f is None else f.with_columns(group)
                            for f in (acceptance, production, new_patients)), weeks, [0])[0]


def flow_values_by(acceptance: pl.DataFrame | None, production: pl.DataFrame | None,
                   new_patients: pl.DataFrame | None, weeks: list[date],
                   groups: list) -> list[dict[str, float | None]]:
    """``flow_values`` for each of ``groups``: the frames stack several groups' rows, told
    apart by their GROUP column."""
    totals: dict[str, dict] = {}
    for frame, columns in ((acceptance, ["diagnosed_amount", "accepted_amount"]),
                           (production, ["gross_production", "collections"]),
                           (new_patients, ["count"])):
        totals.update(_sums_by_group(frame, columns, weeks, groups))
    out = []
    for group in groups:
        diagnosed = totals["diagnosed_amount"].get(group)
        accepted = totals["accepted_amount"].get(group)
        out.append({
            "diagnosed_amount": diagnosed,
            "accepted_amount": accepted,
            "rate_amount": RATE_AMOUNT.of(accepted, diagnosed),
            "gross_production": totals["gross_production"].get(group),
            "collections": totals["collections"].get(group),
            "new_patients": totals["count"].get(group),
        })
    return out


def _sums_by_group(frame: pl.DataFrame | None, columns: list[str], weeks: list[date],
                   groups: list) -> dict[str, dict]:
    """Per column, per group: the column's sum over ``weeks`` (nulls as 0; 0.0 without rows),
    or None when the frame or the column is missing."""
    if frame is None:
        return {column: {} for column in columns}
    present = [c for c in columns if c in frame.columns]
    sums = (frame.filter(pl.col("week_start").is_in(weeks)).group_by(GROUP)
            .agg(pl.col(c).cast(pl.Float64).fill_null(0).sum() for c in present))
    found = {row[GROUP]: row for row in sums.iter_rows(named=True)}
    return {c: {g: (float(found[g][c]) if g in found else 0.0) for g in groups}
            for c in present} | {c: {} for c in columns if c not in present}


def point_values(unscheduled: pl.DataFrame | None, ar: pl.DataFrame | None,
                 claims: pl.DataFrame | None) -> dict[str, float | None]:
    """Point-in-time figures from one-row views: unscheduled $, A/R 91+, claims over 30 days."""
    group = [pl.lit(0).alias(GROUP)]
    return point_values_by(*(None if f is None else f.with_columns(group)
                             for f in (unscheduled, ar, claims)), [0])[0]


def point_values_by(unscheduled: pl.DataFrame | None, ar: pl.DataFrame | None,
                    claims: pl.DataFrame | None, groups: list) -> list[dict[str, float | None]]:
    """``point_values`` for each of ``groups`` (stacked frames with a GROUP column)."""
    figures: dict[str, dict] = {}
    for name, frame, columns in (
            ("unscheduled_amount", unscheduled, ["total_amount"]),
            ("ar_91_plus", ar, ["ar_91_plus"]),
            ("claims_over_30", claims, ["aging_31_60", "aging_61_90", "aging_91_plus"])):
        figures[name] = {}
        if frame is None:
            continue
        firsts = frame.group_by(GROUP, maintain_order=True).first()
        for row in firsts.iter_rows(named=True):
            figures[name][row[GROUP]] = float(sum(float(row[c] or 0) for c in columns))
    return [{name: values.get(group) for name, values in figures.items()} for group in groups]


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


@dataclass(frozen=True)
class WeekData:
    """Everything the weekly review reads for one week (a frame is None if its view is missing).

    Flow frames hold the TREND_WEEKS weeks ending with ``monday``; ``points`` holds the
    point-in-time figures on that week's Sunday and the 4 Sundays before (each capped at A).
    ``acceptance`` is uncapped (the history chart); ``acceptance_at_age`` the same weeks
    measured at ``age_days`` (equal age), which every comparison reads.
    The detail frames (breakdowns, largest cases, goals, aging) are None when read
    ``tiles_only``; ``largest_cases`` holds the rows of metric_unscheduled_largest.
    """

    monday: date
    acceptance: pl.DataFrame | None
    production: pl.DataFrame | None
    new_patients: pl.DataFrame | None
    points: list[dict[str, float | None]]
    unscheduled_patients: int | None
    breakdown_this: pl.DataFrame | None = None
    breakdown_last: pl.DataFrame | None = None
    largest_cases: pl.DataFrame | None = None
    goals: pl.DataFrame | None = None
    aging: pl.DataFrame | None = None
    acceptance_at_age: pl.DataFrame | None = None
    age_days: int | None = None

    @property
    def flows(self) -> tuple[pl.DataFrame | None, pl.DataFrame | None, pl.DataFrame | None]:
        """The acceptance (at equal age when read so), production and new-patient weekly
        frames (flow_values' order): what the comparisons read."""
        aged = self.acceptance if self.acceptance_at_age is None else self.acceptance_at_age
        return aged, self.production, self.new_patients

    @property
    def age_text(self) -> str:
        """The age the comparisons used, in words."""
        return age_words(self.age_days)

    def this_week(self) -> dict[str, float | None]:
        """Every tile's value for the week."""
        return {**flow_values(*self.flows, [self.monday]), **self.points[0]}

    def last_week(self) -> dict[str, float | None]:
        """Every tile's value for the week before."""
        self._need_history()
        return {**flow_values(*self.flows, [self.monday - timedelta(weeks=1)]), **self.points[1]}

    def average(self) -> dict[str, float | None]:
        """Every tile's average over the 4 weeks before."""
        self._need_history()
        return four_week_average(*self.flows, self.monday, self.points[1:])

    def _need_history(self) -> None:
        if len(self.points) < AVERAGE_WEEKS + 1:
            raise ValueError("this week was read without the weeks before it (history=False)")

    @property
    def immature(self) -> bool:
        """Whether the week's acceptance is still provisional (its window has not passed)."""
        if self.acceptance is None:
            return False
        rows = self.acceptance.filter(pl.col("week_start") == self.monday)
        return rows.height > 0 and not rows["mature"][0]


def week_requests(params: metrics.MetricParams, monday: date, tiles_only: bool = False,
                  history: bool = True) -> list[tuple[str, metrics.MetricParams]]:
    """The (view, params) requests behind one week, in the order ``assemble_week`` reads them.

    ``params`` must be resolved. ``tiles_only`` skips the lists; ``history=False`` also skips
    the weeks before (then only ``this_week()`` may be asked: the side-by-side table).
    """
    weeks_before = TREND_WEEKS - 1 if history else 0
    span = dataclasses.replace(params, week_from=monday - timedelta(weeks=weeks_before),
                               week_to=monday, week_count=weeks_before + 1)
    sundays = _sundays(params, monday, history)
    requests = [(view, span) for view in FLOW_VIEWS]
    if history:
        aged = dataclasses.replace(span, age_days=comparison_age(monday, params.as_of))
        requests.append(("metric_acceptance_weekly", aged))
    requests += [(view, dataclasses.replace(params, as_of=day))
                 for day in sundays for view in POINT_VIEWS]
    if tiles_only or not history:
        return requests
    this_day = dataclasses.replace(params, as_of=sundays[0])
    return requests + [
        ("metric_unscheduled_breakdown", this_day),
        ("metric_unscheduled_breakdown", dataclasses.replace(params, as_of=sundays[1])),
        ("metric_unscheduled_largest", this_day),
        goals.goal_request(params, monday),
        ("metric_unscheduled_aging", this_day),
    ]


def _sundays(params: metrics.MetricParams, monday: date, history: bool) -> list[date]:
    return [periods.point_in_time(monday - timedelta(weeks=k), params.as_of)
            for k in range(AVERAGE_WEEKS + 1 if history else 1)]


def assemble_week(monday: date, frames: list[pl.DataFrame | None], tiles_only: bool = False,
                  history: bool = True) -> WeekData:
    """The WeekData of one week from the frames of its ``week_requests``, in that order."""
    flows, rest = frames[:len(FLOW_VIEWS)], frames[len(FLOW_VIEWS):]
    aged = None
    if history:
        aged, rest = rest[0], rest[1:]
    detailed = not tiles_only and history
    point_count = AVERAGE_WEEKS + 1 if history else 1
    point_frames = [rest[i * len(POINT_VIEWS):(i + 1) * len(POINT_VIEWS)]
                    for i in range(point_count)]
    unscheduled = point_frames[0][0]
    count = (unscheduled["patient_count"][0]
             if unscheduled is not None and unscheduled.height else None)
    patients = None if count is None else int(count)
    week = WeekData(monday, *flows, [point_values(*frames) for frames in point_frames], patients,
                    acceptance_at_age=aged,
                    age_days=None if aged is None or not aged.height else int(aged["age_days"][0]))
    if not detailed:
        return week
    breakdown_this, breakdown_last, largest_cases, goals, aging = rest[-5:]
    return dataclasses.replace(week, breakdown_this=breakdown_this,
                               breakdown_last=breakdown_last, largest_cases=largest_cases,
                               goals=goals,
                               aging=aging)


def read_week(con: duckdb.DuckDBPyConnection, params: metrics.MetricParams, monday: date,
              tiles_only: bool = False, history: bool = True) -> WeekData:
    """Read the weekly review of the week starting ``monday`` (the one list of view requests).

    ``tiles_only`` skips the lists; ``history=False`` also skips the weeks before (then only
    ``this_week()`` may be asked: the side-by-side table of practices).
    """
    return read_weeks(con, [params], monday, tiles_only, history)[0]


def week_tiles(con: duckdb.DuckDBPyConnection, params_list: list[metrics.MetricParams],
               monday: date) -> list[dict[str, float | None]]:
    """``this_week()`` of several parameter sets (e.g. each practice), from their stored
    results stacked one frame per view when every one is precomputed, else read one by one."""
    plans = [week_requests(metrics.resolve_params(con, params), monday, history=False)
             for params in params_list]
    views = [view for view, _ in plans[0]] if plans else []
    groups = list(range(len(plans)))
    stacked = [metrics.query_stacked(con, view, [plan[i][1] for plan in plans], GROUP)
               for i, view in enumerate(views)]
    if not plans or any(frame is None for frame in stacked):
        return [week.this_week() for week in read_weeks(con, params_list, monday,
                                                        history=False)]
    flow_count = len(FLOW_VIEWS)
    flows = flow_values_by(*stacked[:flow_count], [monday], groups)
    points = point_values_by(*stacked[flow_count:], groups)
    return [{**flow, **point} for flow, point in zip(flows, points, strict=True)]


def read_weeks(con: duckdb.DuckDBPyConnection, params_list: list[metrics.MetricParams],
               monday: date, tiles_only: bool = False,
               history: bool = True) -> list[WeekData]:
    """``read_week`` for several parameter sets (e.g. one per practice) in one batch of reads."""
    plans = [week_requests(metrics.resolve_params(con, params), monday, tiles_only, history)
             for params in params_list]
    frames = metrics.query_many(con, [request for plan in plans for request in plan])
    weeks, start = [], 0
    for plan in plans:
        weeks.append(assemble_week(monday, frames[start:start + len(plan)], tiles_only, history))
        start += len(plan)
    return weeks
