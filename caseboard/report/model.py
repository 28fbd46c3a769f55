"""What the weekly owner report shows, read from the mart views (no metric logic here).

Every number comes from ``caseboard.metrics`` (the views behind the dashboard and
``caseboard metrics``); labels, formats and definitions come from the dashboard's
registry, and the "what changed" sentences from ``dashboard.changes``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import polars as pl

from caseboard import followups, metrics
from caseboard.privacy import initials
from caseboard.review import actions, goals, payback, weekly
from caseboard.review.changes import what_changed
from caseboard.review.format import fmt, fmt_delta, money
from caseboard.review.periods import (
    last_complete_week,
    point_in_time,
    week_end,
    week_start,
)
from caseboard.review.registry import METRICS
from caseboard.settings import SQL_DIR

SQL = SQL_DIR / "queries"

# The weekly review tiles, in the dashboard's reading order.
TILES = weekly.TILE_KEYS
PROVISIONAL = {"accepted_amount", "rate_amount"}
TOP_CASES = 10


class NoData(Exception):  # noqa: N818 - a plain-words condition, shown to the user
    """Nothing to report: no rows loaded, an unknown practice, or a week after the data."""


@dataclass(frozen=True)
class Tile:
    """One weekly figure with its comparisons."""

    key: str
    label: str
    kind: str
    definition: str
    higher_is_better: bool
    value: float | None
    last_week: float | None
    average: float | None
    provisional: bool = False

    def format(self, value: float | None) -> str:
        """A value in this tile's format."""
        return fmt(self.kind, value)

    def format_delta(self, value: float | None) -> str | None:
        """A change in this tile's format."""
        return fmt_delta(self.kind, value)

    @property
    def vs_last(self) -> float | None:
        """This week minus last week."""
        return _minus(self.value, self.last_week)

    @property
    def vs_average(self) -> float | None:
        """This week minus the average of the 4 weeks before it."""
        return _minus(self.value, self.average)


@dataclass(frozen=True)
class Case:
    """One row of the largest unscheduled cases (a patient's unscheduled treatment)."""

    patient: str
    amount: float
    procedure_count: int
    oldest_diagnosed_date: date | None
    age_days: int | None
    next_appointment: date | None
    providers: str | None
    codes: str | None
    treatment: str | None = None


@dataclass
class Overdue:
    """A follow-up overdue at the end of the week (the note only when names are shown)."""

    patient: str
    next_contact_date: date
    days_overdue: int
    last_outcome: str | None
    note: str | None


@dataclass
class Section:
    """The report for one practice, or for all practices together (practice_id None)."""

    practice_id: str | None
    tiles: list[Tile]
    changes: list[str]
    goals: list[goals.GoalLine]
    cases: list[Case]
    unscheduled_patients: int | None
    trend: pl.DataFrame
    aging: pl.DataFrame
    coordinator: list[str] = field(default_factory=list)
    age_text: str = ""
    actions: list[actions.ActionItem] = field(default_factory=list)
    overdue: list[Overdue] = field(default_factory=list)
    overdue_count: int = 0

    def tile(self, key: str) -> Tile:
        """The tile for a registry key."""
        return next(t for t in self.tiles if t.key == key)


@dataclass
class Report:
    """The whole weekly report: the week, the data's freshness and one section per scope."""

    week_start: date
    week_end: date
    as_of: date
    complete: bool
    last_load: datetime | None
    practices: list[str]
    sections: list[Section]
    with_names: bool
    window_days: int
    definitions: list[tuple[str, str]]
    comparison: list[Section] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text()


def base_params(con: duckdb.DuckDBPyConnection, practice_id: str | None = None):
    """The configured metric parameters ($CASEBOARD_WINDOW_DAYS, ...) with A resolved."""
    return metrics.resolve_params(con, metrics.default_params(practice_id=practice_id))


def practices(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The loaded practice ids, sorted."""
    frame = metrics.query_view(con, "metric_practices", base_params(con))
    return sorted({str(p) for p in frame["practice_id"].to_list() if p is not None})


def last_load(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the newest load finished (the data's freshness)."""
    return con.sql(_sql("last_load")).fetchall()[0][0]


def _patient(row: dict, with_names: bool) -> str:
    if with_names:
        return " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p) or "—"
    return initials(row.get("first_name"), row.get("last_name")) or "—"


def _cases(frame: pl.DataFrame, day: date, with_names: bool) -> list[Case]:
    top = frame.sort(["amount", "patient_id"], descending=[True, False]).head(TOP_CASES)
    cases = []
    for row in top.iter_rows(named=True):
        oldest = row.get("oldest_diagnosed_date")
        cases.append(Case(
            patient=_patient(row, with_names),
            amount=float(row["amount"]),
            procedure_count=int(row["procedure_count"]),
            oldest_diagnosed_date=oldest,
            age_days=(day - oldest).days if oldest else None,
            next_appointment=row.get("next_appointment"),
            providers=_text(row.get("providers")),
            codes=_text(row.get("codes")),
            treatment=_text(row.get("treatment")),
        ))
    return cases


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _overdue(con: duckdb.DuckDBPyConnection, params, with_names: bool) -> list[Overdue]:
    """Every follow-up overdue as of ``params.as_of``, longest overdue first. Notes are
    patient data: they stay out unless names are shown."""
    try:
        frame = metrics.query_view(con, "metric_followup_latest", params, stored=False)
    except (duckdb.CatalogException, duckdb.BinderException):
        return []
    notes = _latest_notes(con) if with_names else {}
    found = []
    for row in frame.filter(pl.col("overdue")).sort("next_contact_date").iter_rows(named=True):
        found.append(Overdue(
            patient=_patient(row, with_names) if row["in_practice_data"] else followups.GONE,
            next_contact_date=row["next_contact_date"], days_overdue=row["days_overdue"],
            last_outcome=followups.outcome_label(row["last_outcome"]),
            note=notes.get((row["source_id"], row["patient_id"], row["last_contact_date"])),
        ))
    return found


def _with_followup_goals(con: duckdb.DuckDBPyConnection, goals: pl.DataFrame | None,
                         params) -> pl.DataFrame | None:
    """The goals with the follow-up goals' actuals (their view reads the log, never stored)."""
    try:
        followup = metrics.query_view(con, "metric_followup_goal_progress", params, stored=False)
    except (duckdb.CatalogException, duckdb.BinderException):
        return goals
    return followups.merge_goal_progress(goals, followup)


def _latest_notes(con: duckdb.DuckDBPyConnection) -> dict[tuple, str]:
    """The note of each (source, patient, contact date), the one recorded last."""
    log = con.sql(_sql("followup_list")).pl()
    return {(r["source_id"], r["patient_id"], r["contact_date"]): r["note"]
            for r in log.iter_rows(named=True) if r["note"]}


def build_section(
    con: duckdb.DuckDBPyConnection, monday: date, practice_id: str | None, with_names: bool,
    params=None, tiles_only: bool = False,
) -> Section:
    """Read every figure of one practice's (or all practices') weekly review.

    ``tiles_only`` reads just the tiles (for the side-by-side comparison of practices).
    """
    params = dataclasses.replace(params or base_params(con), practice_id=practice_id)
    week = weekly.read_week(con, params, monday, tiles_only)
    if week.acceptance is None:
        raise NoData("the weekly views are not built: run `caseboard ingest` again")
    this, last, average = week.this_week(), week.last_week(), week.average()
    tiles = [
        Tile(
            key=key, label=METRICS[key].label, kind=METRICS[key].kind,
            definition=METRICS[key].definition, higher_is_better=METRICS[key].higher_is_better,
            value=this.get(key), last_week=last.get(key), average=average.get(key),
            provisional=week.immature and key in PROVISIONAL,
        )
        for key in TILES
    ]
    if tiles_only:
        return Section(practice_id, tiles, [], [], [], week.unscheduled_patients, week.acceptance,
                       pl.DataFrame(), week.age_text)
    sunday = point_in_time(monday, params.as_of)
    largest = week.largest_cases
    shown_goals = goals.goal_lines(
        _with_followup_goals(con, week.goals, params.but(as_of=sunday)), practice_id)
    lists = metrics.query_many(con, [(view, params) for view in ACTION_VIEWS])
    items = actions.action_items(*lists, [g for g in shown_goals if g.status == "behind"],
                                 params.window_days)
    overdue = _overdue(con, params.but(as_of=sunday), with_names)
    return Section(
        practice_id=practice_id,
        tiles=tiles,
        changes=what_changed(this, last, week.breakdown_this, week.breakdown_last),
        goals=shown_goals,
        cases=[] if largest is None else _cases(largest.filter(pl.col("amount") > 0), sunday,
                                                 with_names),
        unscheduled_patients=week.unscheduled_patients,
        trend=week.acceptance,
        aging=pl.DataFrame() if week.aging is None else week.aging,
        coordinator=coordinator_paragraph(con, params),
        age_text=week.age_text,
        actions=items,
        overdue=overdue[:TOP_CASES],
        overdue_count=len(overdue),
    )


def coordinator_paragraph(con: duckdb.DuckDBPyConnection,
                          params: metrics.MetricParams) -> list[str]:
    """The readiness verdict and the payback in words for one practice (or the only one), as
    of the report's as-of date, at the configured thresholds, cost and a target of the
    current rate + 10 points (spec section 8)."""
    ready, paid = metrics.query_many(con, [("metric_readiness", params),
                                           ("metric_payback", params)])
    if ready is None or paid is None or not ready.height or not paid.height:
        return []
    row, money_row = ready.row(0, named=True), paid.row(0, named=True)
    lines = [payback.readiness_verdict(row["active_patients"], row["new_patients_avg_3m"],
                                       row["ready_active"], row["ready_new"]),
             payback.payback_sentence(money_row)]
    even = payback.break_even_sentence(money_row)
    if even:
        lines.append(even)
    if payback.no_payback_reason(money_row) is None:
        lines.append(f"(At {money(money_row['coordinator_cost'])} a year and a target "
                     f"{payback.DEFAULT_TARGET_POINTS} points above today's rate.)")
    return lines


DEFINED = [*TILES, "unscheduled_aging"]
# The lists behind 'Needs action this week', read as of A (actions.action_items' order).
ACTION_VIEWS = ("metric_call_list", "metric_claims_over_30", "metric_ar_over_90")


def build_report(
    con: duckdb.DuckDBPyConnection, week: date | None = None, practice_id: str | None = None,
    with_names: bool = False, params: metrics.MetricParams | None = None,
) -> Report:
    """The report model for the week holding ``week`` (default: the last complete week).

    ``params`` (as-of date, acceptance window, all codes) default to the configured ones;
    the dashboard passes its sidebar's so the PDF shows the figures on screen.
    """
    known = practices(con)
    if not known:
        raise NoData("no practice data is loaded: load an export first (caseboard ingest PATH)")
    if practice_id is not None and practice_id not in known:
        raise NoData(f"no practice {practice_id!r} in the database (loaded: {', '.join(known)})")
    params = metrics.resolve_params(con, params) if params else base_params(con)
    as_of = params.as_of
    monday = week_start(week) if week else last_complete_week(as_of)
    if monday > as_of:
        raise NoData(
            f"the week of {monday.isoformat()} starts after the data's as-of date "
            f"{as_of.isoformat()}: "
            "load a newer export or pick an earlier week"
        )
    scopes = [practice_id] if practice_id is not None else known
    sections = [build_section(con, monday, p, with_names, params) for p in scopes]
    comparison: list[Section] = []
    if len(scopes) > 1:
        comparison = [*sections, build_section(con, monday, None, with_names, params, True)]
    return Report(
        week_start=monday,
        week_end=week_end(monday),
        as_of=as_of,
        complete=week_end(monday) <= as_of,
        last_load=last_load(con),
        practices=known,
        sections=sections,
        with_names=with_names,
        window_days=params.window_days,
        definitions=[(METRICS[k].label, METRICS[k].definition) for k in DEFINED],
        comparison=comparison,
    )
