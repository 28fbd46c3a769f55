"""The metrics API: parameters for the SQL views, view queries, and the spec's JSON object.

Every number comes from the views in ``sql/marts/metric_*.sql``; this module
only sets their parameters (DuckDB session variables, always bound) and shapes
the output. Rounding happens here and only here: amounts are exact decimals in
SQL and are rounded half-up to cents with ``Decimal``; rates are pooled from
those exact decimals by ``caseboard.rates`` and rounded half-up to 4 places.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
import polars as pl

from caseboard import results_store
from caseboard.rates import COLLECTION_RATE, RATE_AMOUNT, RATE_COUNT
from caseboard.settings import RANGE_MONTHS, RANGE_WEEKS, load_settings
from caseboard.views import sql_files

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
UNSCHEDULED_BUCKETS = ("0-30", "31-90", "91-180", "181-365", "365+")
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
"""Dates a parameter may name (as-of, months, weeks)."""
MAX_MONTHS = 120
MAX_WEEKS = 520
MAX_WINDOW_DAYS = 3650
"""The longest month range (10 years), week range and acceptance window a query may ask for."""


class MetricsError(ValueError):
    """Parameters that cannot be used (e.g. a month range that ends before it starts)."""


@dataclasses.dataclass(frozen=True)
class MetricParams:
    """The parameters every metric view reads (docs/contracts.md); None = the default.

    This is the one parameter type of the CLI, the dashboard, the report and the
    precompute. Defaults have one home: ``resolve_params`` fills every None, the
    configurable ones from ``caseboard.settings``; the SQL views only read the result.
    """

    as_of: date | None = None
    window_days: int | None = None
    all_codes: bool = False
    practice_id: str | None = None
    active_months: int | None = None
    month_from: date | None = None
    month_to: date | None = None
    week_from: date | None = None
    week_to: date | None = None
    ready_active: int | None = None
    ready_new: int | None = None
    coordinator_cost: float | None = None
    target_rate: float | None = None
    variable_cost: float | None = None
    coordinator_start: date | None = None
    age_days: int | None = None  # equal age (spec section 1): None = no cap
    week_count: int | None = None  # weeks ending with week_to when week_from is unset (13)

    def but(self, **changes: Any) -> MetricParams:
        """A copy with some parameters changed."""
        return dataclasses.replace(self, **changes)


def default_params(**given: Any) -> MetricParams:
    """MetricParams with the configured defaults (CASEBOARD_WINDOW_DAYS, ...) under ``given``."""
    settings = load_settings()
    base = {
        "window_days": settings.window_days,
        "active_months": settings.active_months,
        "ready_active": settings.ready_active_patients,
        "ready_new": settings.ready_new_patients,
        "coordinator_cost": settings.coordinator_cost,
        "variable_cost": settings.variable_cost_share,
    }
    return MetricParams(**{**base, **{k: v for k, v in given.items() if v is not None}})


def _with_configured_defaults(params: MetricParams) -> MetricParams:
    """``params`` with every configurable None replaced by its setting."""
    return default_params(**dataclasses.asdict(params))


@functools.cache
def view_names() -> frozenset[str]:
    """The whitelist of queryable views: the stems of sql/marts/*.sql."""
    return frozenset(path.stem for path in sql_files("marts"))


def month_start(day: date) -> date:
    """The first day of the month holding ``day``."""
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after the month starting on ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def default_as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The newest event date in the loaded data (view int_default_as_of)."""
    return con.sql("select as_of from int_default_as_of").fetchall()[0][0]


def resolve_params(con: duckdb.DuckDBPyConnection, params: MetricParams) -> MetricParams:
    """Fill every default: the settings, the as-of date, the RANGE_MONTHS months and the
    RANGE_WEEKS weeks ending with A's (caseboard.settings)."""
    params = _with_configured_defaults(params)
    for name, label in (("as_of", "as-of date"), ("month_from", "first month"),
                        ("month_to", "last month"), ("week_from", "first week"),
                        ("week_to", "last week")):
        value = getattr(params, name)
        if value is not None and not EARLIEST <= value <= LATEST:
            raise MetricsError(f"the {label} {value} is outside {EARLIEST} to {LATEST}")
    if not 0 <= params.window_days <= MAX_WINDOW_DAYS:
        raise MetricsError(f"window days must be between 0 and {MAX_WINDOW_DAYS:,}"
                           f" (10 years), not {params.window_days:,}")
    as_of = params.as_of or default_as_of(con)
    month_to = month_start(params.month_to) if params.month_to else None
    month_from = month_start(params.month_from) if params.month_from else None
    if month_to is None:
        month_to = month_start(as_of)
        if month_from is not None and month_from > month_to:
            month_to = month_from
    if month_from is None:
        month_from = add_months(month_to, 1 - RANGE_MONTHS)
    if month_from > month_to:
        raise MetricsError(
            f"month range ends before it starts: {month_from:%Y-%m} to {month_to:%Y-%m}"
        )
    months = (month_to.year - month_from.year) * 12 + month_to.month - month_from.month + 1
    if months > MAX_MONTHS:
        raise MetricsError(
            f"month range {month_from:%Y-%m} to {month_to:%Y-%m} covers {months:,} months;"
            f" at most {MAX_MONTHS} (10 years) at a time"
        )
    week_to = week_start(params.week_to) if params.week_to else week_start(as_of)
    if params.week_count is not None and params.week_count < 1:
        raise MetricsError(f"weeks must be 1 or more, not {params.week_count}")
    count = params.week_count or RANGE_WEEKS
    week_from = (week_start(params.week_from) if params.week_from
                 else week_to - timedelta(weeks=count - 1))
    if week_from > week_to:
        raise MetricsError(f"week range ends before it starts: {week_from} to {week_to}")
    if (week_to - week_from).days // 7 + 1 > MAX_WEEKS:
        raise MetricsError(f"week range {week_from} to {week_to} covers more than"
                           f" {MAX_WEEKS} weeks (10 years)")
    if params.active_months < 1:
        raise MetricsError("active months must be >= 1")
    if params.coordinator_cost < 0:
        raise MetricsError(
            f"the coordinator's yearly cost must be >= 0, got {params.coordinator_cost}")
    if not 0 <= params.variable_cost < 1:
        raise MetricsError(f"the variable cost share must be from 0 to below 1, got "
                           f"{params.variable_cost}")
    if params.target_rate is not None and not 0 <= params.target_rate <= 1:
        raise MetricsError(f"the target rate is a fraction from 0 to 1 (0.65), got "
                           f"{params.target_rate}")
    if params.age_days is not None and params.age_days < 0:
        raise MetricsError(f"age must be 0 days or more, not {params.age_days}")
    return dataclasses.replace(
        params,
        coordinator_cost=float(params.coordinator_cost),
        variable_cost=float(params.variable_cost),
        target_rate=None if params.target_rate is None else float(params.target_rate),
        as_of=as_of,
        month_from=month_from,
        month_to=month_to,
        week_from=week_from,
        week_to=week_to,
        week_count=(week_to - week_from).days // 7 + 1,
    )


_VARIABLE_STATEMENTS = {
    "as_of": "SET VARIABLE as_of = CAST(? AS DATE)",
    "window_days": "SET VARIABLE window_days = CAST(? AS INTEGER)",
    "all_codes": "SET VARIABLE all_codes = CAST(? AS BOOLEAN)",
    "practice_id": "SET VARIABLE practice_id = CAST(? AS VARCHAR)",
    "active_months": "SET VARIABLE active_months = CAST(? AS INTEGER)",
    "month_from": "SET VARIABLE month_from = CAST(? AS DATE)",
    "month_to": "SET VARIABLE month_to = CAST(? AS DATE)",
    "week_from": "SET VARIABLE week_from = CAST(? AS DATE)",
    "week_to": "SET VARIABLE week_to = CAST(? AS DATE)",
    "ready_active": "SET VARIABLE ready_active = CAST(? AS INTEGER)",
    "ready_new": "SET VARIABLE ready_new = CAST(? AS INTEGER)",
    "coordinator_cost": "SET VARIABLE coordinator_cost = CAST(? AS DOUBLE)",
    "target_rate": "SET VARIABLE target_rate = CAST(? AS DOUBLE)",
    "variable_cost": "SET VARIABLE variable_cost = CAST(? AS DOUBLE)",
    "coordinator_start": "SET VARIABLE coordinator_start = CAST(? AS DATE)",
    "age_days": "SET VARIABLE age_days = CAST(? AS INTEGER)",
}

# One read of every variable's current value: a variable already holding the value (same
# type) is not set again, which saves a statement per variable when a page reads several
# views with the same parameters; any other setter (reconcile sets practice_id) is seen.
_CURRENT_VARIABLES = (
    "select getvariable('as_of'), getvariable('window_days'), getvariable('all_codes'),"
    " getvariable('practice_id'), getvariable('active_months'), getvariable('month_from'),"
    " getvariable('month_to'), getvariable('week_from'), getvariable('week_to'),"
    " getvariable('ready_active'), getvariable('ready_new'), getvariable('coordinator_cost'),"
    " getvariable('target_rate'), getvariable('variable_cost'),"
    " getvariable('coordinator_start'),"
    " getvariable('age_days')"
)


def apply_params(con: duckdb.DuckDBPyConnection, params: MetricParams) -> MetricParams:
    """Resolve ``params`` and set them as the connection's session variables; return them."""
    resolved = resolve_params(con, params)
    (current,) = con.sql(_CURRENT_VARIABLES).fetchall()
    for (name, statement), now in zip(_VARIABLE_STATEMENTS.items(), current, strict=True):
        value = getattr(resolved, name)
        if now is None or value is None or type(now) is not type(value) or now != value:
            con.execute(statement, [value])
    return resolved


def query_view(
    con: duckdb.DuckDBPyConnection,
    view: str,
    params: MetricParams | None = None,
    stored: bool = True,
) -> pl.DataFrame:
    """All rows of one whitelisted metric view under ``params`` (set first when given).

    With ``params`` the rows come from the precomputed store when this exact resolved
    parameter set was precomputed at load time (``stored=False`` always runs the view);
    the session variables are then left as they were. Without ``params`` the view runs
    under the variables the caller last applied.
    """
    _check_views([view])
    if params is None:
        return _run_view(con, view, None)
    return _fetch(con, [(view, params)], stored, missing_ok=False)[0]


def query_many(
    con: duckdb.DuckDBPyConnection,
    requests: Sequence[tuple[str, MetricParams]],
    stored: bool = True,
) -> list[pl.DataFrame | None]:
    """The rows of several (view, params) requests, as ``query_view`` gives them.

    Precomputed requests come from the store in one read, the others run live. A
    request gives None when its view, or a table the view reads, is missing.
    """
    _check_views([view for view, _ in requests])
    return _fetch(con, requests, stored, missing_ok=True)


def query_views(
    con: duckdb.DuckDBPyConnection, views: Sequence[str], params: MetricParams | None = None
) -> list[pl.DataFrame]:
    """The rows of several whitelisted views under one ``params`` (``query_view`` per view)."""
    _check_views(views)
    return [query_view(con, view, params) for view in views]


def query_stacked(con: duckdb.DuckDBPyConnection, view: str,
                  params_list: Sequence[MetricParams], group: str) -> pl.DataFrame | None:
    """The stored rows of one view for several parameter sets in one frame, or None.

    Column ``group`` holds the position in ``params_list`` of each row's parameter set
    (a set given twice has its rows twice); a set's rows keep the view's order. None
    unless every set was precomputed: then ask ``query_many`` instead.
    """
    _check_views([view])
    keys = [results_store.params_key(resolve_params(con, p)) for p in params_list]
    rows = results_store.lookup_stacked(con, view, keys)
    if rows is None:
        return None
    positions = pl.DataFrame({results_store.KEY: keys, group: list(range(len(keys)))},
                             schema={results_store.KEY: pl.Utf8, group: pl.Int64})
    return (rows.join(positions, on=results_store.KEY, how="inner", maintain_order="left")
            .drop(results_store.KEY))


def _check_views(views: Sequence[str]) -> None:
    unknown = [view for view in views if view not in view_names()]
    if unknown:
        raise MetricsError(f"unknown metric view {unknown[0]!r}")


def _fetch(con: duckdb.DuckDBPyConnection, requests: Sequence[tuple[str, MetricParams]],
           stored: bool, missing_ok: bool) -> list[pl.DataFrame | None]:
    try:
        resolved = [resolve_params(con, params) for _, params in requests]
    except (duckdb.CatalogException, duckdb.BinderException):
        if not missing_ok:
            raise
        return [None] * len(requests)
    keys = [(view, results_store.params_key(r))
            for (view, _), r in zip(requests, resolved, strict=True)]
    recorded = _RECORDING.get()
    if recorded is not None:
        found = dict(recorded)
    else:
        found = results_store.lookup(con, keys) if stored else {}
    frames: list[pl.DataFrame | None] = []
    for key, params in zip(keys, resolved, strict=True):
        frame = found.get(key)
        if frame is None:
            try:
                apply_params(con, params)
                frame = found[key] = _run_view(con, key[0], params)
            except (duckdb.CatalogException, duckdb.BinderException):
                if not missing_ok:
                    raise
        frames.append(frame)
    return frames


_RECORDING: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "caseboard_recording", default=None)


@contextlib.contextmanager
def recording() -> Iterator[dict[tuple[str, str], pl.DataFrame]]:
    """Run every view live in this context (once per view and parameters) and collect the
    rows: (view, params key) -> rows."""
    runs: dict[tuple[str, str], pl.DataFrame] = {}
    token = _RECORDING.set(runs)
    try:
        yield runs
    finally:
        _RECORDING.reset(token)


def _run_view(con: duckdb.DuckDBPyConnection, view: str,
              resolved: MetricParams | None) -> pl.DataFrame:
    frame = con.sql("select * from " + view).pl()  # noqa: S608 - whitelisted identifier
    runs = _RECORDING.get()
    if runs is not None and resolved is not None:
        runs[(view, results_store.params_key(resolved))] = frame
    return frame


def money(value: Any) -> float:
    """An exact amount rounded half-up to cents, as a JSON number."""
    return float(Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP))


def ratio(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator computed exactly and rounded half-up to 4 places; None on 0."""
    den = Decimal(str(denominator or 0))
    return None if den == 0 else rounded_rate(Decimal(str(numerator or 0)) / den)


def rounded_rate(rate: Decimal | None) -> float | None:
    """An exact rate (``caseboard.rates``) rounded half-up to 4 places, as a JSON number."""
    return None if rate is None else float(rate.quantize(RATE, rounding=ROUND_HALF_UP))


def _month(value: date) -> str:
    return value.strftime("%Y-%m")


def _one(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, Any]:
    return query_view(con, view).row(0, named=True)


def _acceptance_period(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "diagnosed_count": int(row["diagnosed_count"]),
        "diagnosed_amount": money(row["diagnosed_amount"]),
        "accepted_count": int(row["accepted_count"]),
        "accepted_amount": money(row["accepted_amount"]),
        "rate_count": rounded_rate(RATE_COUNT.exact(row)),
        "rate_amount": rounded_rate(RATE_AMOUNT.exact(row)),
        "mature": bool(row["mature"]),
    }


def _production_period(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "gross_production": money(row["gross_production"]),
        "adjustments": money(row["adjustments"]),
        "net_production": money(row["net_production"]),
        "collections": money(row["collections"]),
        "collection_rate": rounded_rate(COLLECTION_RATE.exact(row)),
    }


def _periods(con: duckdb.DuckDBPyConnection, view: str, shape) -> list[dict[str, Any]]:
    """One JSON object per row of a monthly or weekly view: its month or week, then ``shape``."""
    out = []
    for row in query_view(con, view).iter_rows(named=True):
        if "month" in row:
            label = {"month": _month(row["month"])}
        else:
            label = {"week": row["week_start"].isoformat()}
        out.append({**label, **shape(row)})
    return out


def _new_patients_period(row: dict[str, Any]) -> dict[str, Any]:
    return {"count": int(row["count"])}


def metrics_json(con: duckdb.DuckDBPyConnection, params: MetricParams) -> dict[str, Any]:
    """The `caseboard metrics --json` object of the spec, every month and week in range present.

    ``params.age_days`` measures every month and week at that age (spec section 1).
    """
    resolved = apply_params(con, params)
    acceptance = _periods(con, "metric_acceptance_monthly", _acceptance_period)
    acceptance_weeks = _periods(con, "metric_acceptance_weekly", _acceptance_period)
    new_patients = _periods(con, "metric_new_patients_monthly", _new_patients_period)
    new_patients_weeks = _periods(con, "metric_new_patients_weekly", _new_patients_period)
    production = _periods(con, "metric_production_monthly", _production_period)
    production_weeks = _periods(con, "metric_production_weekly", _production_period)
    unscheduled = _one(con, "metric_unscheduled")
    aging = {
        row["bucket"]: money(row["amount"])
        for row in query_view(con, "metric_unscheduled_aging").iter_rows(named=True)
    }
    ar = _one(con, "metric_ar_aging")
    claims = _one(con, "metric_claims_outstanding")
    readiness = _one(con, "metric_readiness")
    return {
        "as_of": resolved.as_of.isoformat(),
        "practice": resolved.practice_id,
        "window_days": resolved.window_days,
        "age_days": resolved.age_days,
        "acceptance": {"months": acceptance, "weeks": acceptance_weeks},
        "new_patients": {"months": new_patients, "weeks": new_patients_weeks},
        "active_patients": int(_one(con, "metric_active_patients")["active_patients"]),
        "unscheduled": {
            "total_amount": money(unscheduled["total_amount"]),
            "procedure_count": int(unscheduled["procedure_count"]),
            "patient_count": int(unscheduled["patient_count"]),
            "aging": {bucket: aging[bucket] for bucket in UNSCHEDULED_BUCKETS},
        },
        "production": {"months": production, "weeks": production_weeks},
        "ar_aging": {
            "0-30": money(ar["ar_0_30"]),
            "31-60": money(ar["ar_31_60"]),
            "61-90": money(ar["ar_61_90"]),
            "91+": money(ar["ar_91_plus"]),
            "total": money(ar["total"]),
            "credit_balances": money(ar["credit_balances"]),
        },
        "claims_outstanding": {
            "count": int(claims["count"]),
            "amount": money(claims["amount"]),
            "aging": {
                "0-30": money(claims["aging_0_30"]),
                "31-60": money(claims["aging_31_60"]),
                "61-90": money(claims["aging_61_90"]),
                "91+": money(claims["aging_91_plus"]),
            },
        },
        "readiness": _readiness(con, readiness, resolved),
    }


def _readiness_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "active_patients": int(row["active_patients"]),
        "new_patients_avg_3m": money(Decimal(str(row["new_patients_avg_3m"]))),
        "ready": bool(row["ready"]),
    }


def _readiness(con: duckdb.DuckDBPyConnection, row: dict[str, Any],
               resolved: MetricParams) -> dict[str, Any]:
    """The JSON's readiness: the scope's figures, each practice's verdict without --practice,
    and the payback when a target rate is given (spec section 8)."""
    out = _readiness_row(row)
    if resolved.practice_id is None:
        out["practices"] = [
            {"practice": practice["practice_id"], **_readiness_row(practice)}
            for practice in query_view(con, "metric_readiness_practices").iter_rows(named=True)
        ]
    if resolved.target_rate is not None:
        out["payback"] = payback_json(_one(con, "metric_payback"))
    return out


def _rate(value: Any) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(RATE, rounding=ROUND_HALF_UP))


def _amount(value: Any) -> float | None:
    return None if value is None else money(value)


def payback_json(row: dict[str, Any]) -> dict[str, Any]:
    """``readiness.payback`` of the JSON from a metric_payback row: amounts to 2 decimals,
    shares and rates to 4 (null where an input is missing)."""
    return {
        "monthly_diagnosed": money(row["monthly_diagnosed"]),
        "current_rate": _rate(row["current_rate"]),
        "completion_share": _rate(row["completion_share"]),
        "net_share": _rate(row["net_share"]),
        "collection_rate": _rate(row["collection_rate"]),
        "variable_cost_share": _rate(row["variable_cost_share"]),
        "monthly_gain": _amount(row["monthly_gain"]),
        "monthly_cost": money(row["monthly_cost"]),
        "monthly_net": _amount(row["monthly_net"]),
        "break_even_rate": _rate(row["break_even_rate"]),
        "pays_for_itself": None if row["pays_for_itself"] is None
        else bool(row["pays_for_itself"]),
    }
