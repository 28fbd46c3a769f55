"""When a practice will be ready for a coordinator, and how much coordinator work it has.

Pure arithmetic on the rows of the mart views: a least-squares line through the last 24
complete months of active and new patients (``metric_active_patients_monthly`` and
``metric_new_patients_monthly`` over those months), the month each threshold is crossed
at that trend, and the hours a week implied by ``metric_coordinator_workload``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from caseboard.metrics import MetricParams
from caseboard.review.format import count, count_delta, month, percent, points_delta
from caseboard.review.periods import add_months, month_start

HISTORY_MONTHS = 24
HORIZON_MONTHS = 24
MIN_MONTHS = 6
FULL_TIME_HOURS = 40.0
# Minutes of coordinator time per item (editable on the page): a treatment consult for a
# case of $1,000 or more, a new patient's welcome and financial intake, one follow-up call
# to a patient who left without booking.
CONSULT_MINUTES = 45
INTAKE_MINUTES = 20
CALL_MINUTES = 15


def history_params(params: MetricParams, as_of: date) -> MetricParams:
    """``params`` over the 24 complete months before the month holding ``as_of``."""
    this_month = month_start(as_of)
    return params.but(month_from=add_months(this_month, -HISTORY_MONTHS),
                      month_to=add_months(this_month, -1))


@dataclass(frozen=True)
class Trend:
    """A least-squares line y = intercept + slope x over months x = 0 .. n-1."""

    first_month: date
    n: int
    slope: float
    intercept: float
    slope_se: float
    r2: float | None

    def at(self, x: float) -> float:
        """The line's value at month index ``x``."""
        return self.intercept + self.slope * x

    def month(self, x: int) -> date:
        """The first day of month index ``x``."""
        return add_months(self.first_month, x)


def fit_trend(months: list[date], values: list[float]) -> Trend | None:
    """The least-squares line through the values from the first month with data on.

    Leading months with nothing in them (before the data starts) are left out; fewer than
    6 months left gives None.
    """
    start = next((i for i, v in enumerate(values) if v), None)
    if start is None or len(values) - start < MIN_MONTHS:
        return None
    ys = [float(v) for v in values[start:]]
    n = len(ys)
    xs = list(range(n))
    x_mean, y_mean = sum(xs) / n, sum(ys) / n
    sxx = sum((x - x_mean) ** 2 for x in xs)
    sxy = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    intercept = y_mean - slope * x_mean
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    sse = sum(r * r for r in residuals)
    syy = sum((y - y_mean) ** 2 for y in ys)
    slope_se = math.sqrt(sse / (n - 2) / sxx) if n > 2 else 0.0
    return Trend(months[start], n, slope, intercept, slope_se,
                 None if syy == 0 else 1 - sse / syy)


@dataclass(frozen=True)
class Crossing:
    """When a threshold is crossed: 'above' now, in ``month``, or 'not within' the horizon;
    ``earliest``/``latest`` bound it with the slope's uncertainty (None = beyond)."""

    kind: str
    month: date | None = None
    earliest: date | None = None
    latest: date | None = None


def _first_at_or_above(trend: Trend, slope: float, threshold: float, now: int) -> int | None:
    """The first month index from ``now`` on where a line of ``slope`` through the trend's
    centre reaches ``threshold`` within the horizon."""
    centre_x = (trend.n - 1) / 2
    centre_y = trend.at(centre_x)
    for x in range(now, now + HORIZON_MONTHS):
        if centre_y + slope * (x - centre_x) >= threshold:
            return x
    return None


def crossing(trend: Trend | None, current: float | None, threshold: float) -> Crossing:
    """The month the trend line reaches ``threshold``, counted from the month after the last
    fitted one (the as-of month) over the next 24 months."""
    if current is not None and current >= threshold:
        return Crossing("above")
    if trend is None:
        return Crossing("no trend")
    now = trend.n
    x = _first_at_or_above(trend, trend.slope, threshold, now)
    if x is None:
        return Crossing("not within")
    early = _first_at_or_above(trend, trend.slope + 2 * trend.slope_se, threshold, now)
    late = _first_at_or_above(trend, trend.slope - 2 * trend.slope_se, threshold, now)
    return Crossing("month", trend.month(x), None if early is None else trend.month(early),
                    None if late is None else trend.month(late))


def crossing_sentence(what: str, trend: Trend | None, result: Crossing, threshold: float) -> str:
    """The projection in plain words, with the trend and its uncertainty."""
    if result.kind == "above":
        text = f"{what}: already above {count(round(threshold))}."
        if trend is not None and trend.slope < 0:
            below = next((x for x in range(trend.n, trend.n + HORIZON_MONTHS)
                          if trend.at(x) < threshold), None)
            if below is not None:
                text += (f" But the trend is falling ({count_delta(trend.slope)} a month over "
                         f"the last {trend.n} months): at this trend it drops below about "
                         f"{month(trend.month(below))}.")
        return text
    if result.kind == "no trend":
        return (f"{what}: fewer than {MIN_MONTHS} months of history, so there is no trend to "
                "project yet.")
    pace = f"{count_delta(trend.slope)} a month over the last {trend.n} months"
    if result.kind == "not within":
        return (f"{what}: not within {HORIZON_MONTHS} months at this trend ({pace}); the line "
                f"stays below {count(round(threshold))}.")
    text = (f"{what}: reaches {count(round(threshold))} about {month(result.month)} at this "
            f"trend ({pace}).")
    if result.earliest != result.month or result.latest != result.month:
        first = "sooner" if result.earliest is None else month(result.earliest)
        last = f"after {HORIZON_MONTHS} months" if result.latest is None \
            else month(result.latest)
        text += f" The months vary around the line, so anywhere from {first} to {last} fits."
    if trend.r2 is not None and trend.r2 < 0.5:
        text += (f" The line explains little of the ups and downs (R² {trend.r2:.2f}): read the "
                 "date as a rough guess.")
    return text


@dataclass(frozen=True)
class Workload:
    """Coordinator hours a week implied by the practice's own weeks."""

    weeks: int
    cases_per_week: float
    new_per_week: float
    calls_per_week: float
    hours: float


def workload(row: dict, consult_minutes: float = CONSULT_MINUTES,
             intake_minutes: float = INTAKE_MINUTES,
             call_minutes: float = CALL_MINUTES) -> Workload:
    """Hours a week = (cases x consult + new patients x intake + follow-ups x call) / 60,
    each count per week over the view's weeks."""
    weeks = int(row["weeks"])
    cases, new, calls = (float(row[k]) / weeks
                         for k in ("large_cases", "new_patients", "followup_visits"))
    minutes = cases * consult_minutes + new * intake_minutes + calls * call_minutes
    return Workload(weeks, cases, new, calls, minutes / 60)


def months_to_full_time(hours: float, new_trend: Trend | None,
                        full_time: float = FULL_TIME_HOURS) -> int | None:
    """Months until the work fills a full-time week if it grows with new patients' trend
    (0 when it already does; None when it does not grow or has no trend)."""
    if hours >= full_time:
        return 0
    if new_trend is None or hours <= 0:
        return None
    level = new_trend.at(new_trend.n)
    if level <= 0 or new_trend.slope <= 0:
        return None
    return math.ceil((full_time / hours - 1) * level / new_trend.slope)


def workload_sentence(work: Workload, months: int | None,
                      full_time: float = FULL_TIME_HOURS) -> str:
    """'About 22 hours a week: part-time now, full-time at this growth in about 9 months.'"""
    hours = f"About {count(round(work.hours))} hours a week"
    if work.hours >= full_time:
        return f"{hours}: a full-time job now (a full week is {count(round(full_time))} hours)."
    if months is None:
        return f"{hours}: part-time now, and new patients are not growing toward full time."
    if months > HORIZON_MONTHS:
        return (f"{hours}: part-time now; at this growth full time is more than "
                f"{HORIZON_MONTHS} months away.")
    return f"{hours}: part-time now, full-time at this growth in about {months} months."


def trend_points(trend: Trend | None, result: Crossing | None = None,
                 ahead: int = 12) -> list[tuple[date, float]]:
    """The trend line's value each month from its first month to ``ahead`` months after the
    last fitted one (to the crossing month when that is later, within the horizon)."""
    if trend is None:
        return []
    last = trend.n - 1 + ahead
    if result is not None and result.month is not None:
        months_to = (result.month.year - trend.first_month.year) * 12 + \
            result.month.month - trend.first_month.month
        last = max(last, months_to)
    return [(trend.month(x), trend.at(x)) for x in range(last + 1)]


def history_requests(params: MetricParams, as_of: date) -> list[tuple[str, MetricParams]]:
    """The view requests behind the 'when will it be ready' charts (the page's and the
    precompute's one list)."""
    history = history_params(params, as_of)
    return [("metric_active_patients_monthly", history),
            ("metric_new_patients_monthly", history)]


FEW_CASES = 10


def before_after_table(rows: list[dict]) -> list[dict[str, str]]:
    """metric_coordinator_before_after rows as a table: per case size, acceptance before and
    after (by fees and by procedures), the cases behind each, and the change by fees."""
    by_key = {(r["period"], r["case_size"]): r for r in rows}
    sizes = [r["case_size"] for r in rows if r["period"] == "before"]

    def shown(r: dict) -> str:
        return f"{percent(r['rate_amount'])} of fees · {percent(r['rate_count'])} of procedures"

    table = []
    for size in sizes:
        before, after = by_key[("before", size)], by_key[("after", size)]
        change = None
        if before["rate_amount"] is not None and after["rate_amount"] is not None:
            change = float(after["rate_amount"]) - float(before["rate_amount"])
        few = min(before["case_count"], after["case_count"]) < FEW_CASES
        table.append({"Case size": size, "Before": shown(before),
                      "Cases before": count(before["case_count"]), "After": shown(after),
                      "Cases after": count(after["case_count"]),
                      "Change by fees": (points_delta(change) or "—")
                      + (" (few cases)" if few and change is not None else "")})
    return table


def before_after_sentence(rows: list[dict]) -> str | None:
    """'Acceptance by fees went from 49.3% to 63.7% (+14.4 pts), 438 and 452 cases.'"""
    by_key = {(r["period"], r["case_size"]): r for r in rows}
    before, after = by_key.get(("before", "All cases")), by_key.get(("after", "All cases"))
    if before is None or after is None:
        return None
    if after["months_counted"] == 0:
        return "No month since the start is mature yet: the after figures will come."
    if before["rate_amount"] is None or after["rate_amount"] is None:
        return "Nothing was diagnosed in one of the two periods: no comparison."
    change = float(after["rate_amount"]) - float(before["rate_amount"])
    return (f"Acceptance by fees went from {percent(before['rate_amount'])} to "
            f"{percent(after['rate_amount'])} ({points_delta(change)}), from "
            f"{count(before['case_count'])} cases before and {count(after['case_count'])} after.")
