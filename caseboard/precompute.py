"""What is precomputed at load time: the view requests the pages make with their defaults.

Every write (``caseboard.publish.publishing``) ends by running, for all
practices together and for each practice, the view requests a page makes when it
opens with the sidebar's defaults, and saving their rows in the results store
(``caseboard.results_store``). ``metrics.query_view`` answers any request whose
resolved parameters match a stored one from the store; every other request (a
different week, window or month range) runs the views live. The definitions stay
in the views: the store only holds what the views returned, recorded as they ran.
"""

from __future__ import annotations

import dataclasses
import json
import queue
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date

import duckdb
import polars as pl

from caseboard import metrics, results_store
from caseboard.review import periods, readiness, weekly
from caseboard.settings import load_settings, query_text

# The views the pages read with the shared filters' parameters, unchanged (see
# dashboard/app_pages/*.py); the weekly review's requests come from weekly.read_week.
PAGE_VIEWS = (
    "metric_acceptance_monthly",
    "metric_time_to_acceptance",
    "metric_acceptance_breakdown",
    "metric_acceptance_cases",
    "metric_production_monthly",
    "metric_ar_aging",
    "metric_claims_outstanding",
    "metric_readiness",
    "metric_readiness_practices",
    "metric_payback",
    "metric_coordinator_workload",
    "metric_goal_progress",
    "metric_active_patients_monthly",
    "metric_new_patients_monthly",
    "metric_new_patients_by_referral",
    "metric_unscheduled",
    "metric_unscheduled_aging",
    "metric_unscheduled_worklist",
    "metric_call_list",
    "metric_claims_over_30",
    "metric_ar_over_90",
    "dashboard_data_health",
)
# Read for all practices only (the sidebar's overview: practices and rows per table).
OVERVIEW_VIEWS = ("metric_practices", "dashboard_table_counts")

# The mart views that read the goals table (a test checks no other view does): all a
# goal edit changes.
GOAL_VIEWS = ("metric_goal_progress",)


def page_params(practice_id: str | None) -> metrics.MetricParams:
    """The parameters of a page opened with the sidebar's defaults for one scope."""
    return metrics.default_params(practice_id=practice_id)


def scopes(con: duckdb.DuckDBPyConnection) -> list[str | None]:
    """All practices together (None), then each practice when there are several; none when
    the views are not built."""
    try:
        practices = metrics.query_view(con, "metric_practices", page_params(None), stored=False)
    except (duckdb.CatalogException, duckdb.BinderException):
        return []
    ids = sorted(set(practices["practice_id"].to_list()))
    return [None, *ids] if len(ids) > 1 else [None]


def record_scope(con: duckdb.DuckDBPyConnection,
                 practice_id: str | None) -> dict[tuple[str, str], pl.DataFrame]:
    """Run one scope's default page requests live; their rows by (view, params key)."""
    params = metrics.resolve_params(con, page_params(practice_id))
    monday = periods.last_complete_week(params.as_of)
    with metrics.recording() as runs:
        for view in PAGE_VIEWS + (OVERVIEW_VIEWS if practice_id is None else ()):
            _read(con, view, params)
        for view, history in readiness.history_requests(params, params.as_of):
            _read(con, view, history)
        weekly.read_week(con, params, monday)
        if practice_id is not None:
            weekly.read_week(con, params, monday, history=False)
    return dict(runs)


def _read(con: duckdb.DuckDBPyConnection, view: str, params: metrics.MetricParams) -> None:
    try:
        metrics.query_view(con, view, params, stored=False)
    except (duckdb.CatalogException, duckdb.BinderException):
        pass


def rebuild(con: duckdb.DuckDBPyConnection, threads: int | None = None) -> int:
    """Recompute the whole store from the committed data of ``con``; the entries saved.

    Worker threads run the scopes on their own cursors while this thread writes each
    finished scope into the store as it arrives, so the results of all practices are
    never held in memory together.
    """
    results_store.reset(con)
    if not load_settings().precompute:
        return 0
    all_scopes = scopes(con)
    workers = max(1, min(threads or load_settings().precompute_threads, len(all_scopes)))
    shares = [all_scopes[i::workers] for i in range(workers)]
    cursors = [con.cursor() for _ in shares]
    finished: queue.Queue = queue.Queue()
    stop = threading.Event()

    def record_share(cursor: duckdb.DuckDBPyConnection, share: list[str | None]) -> None:
        for practice_id in share:
            if stop.is_set():
                return
            finished.put(record_scope(cursor, practice_id))

    con.execute(query_text("precompute_memory_limit"))
    created: set[str] = set()
    saved = 0
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            running = [pool.submit(record_share, c, share) for c, share in zip(cursors, shares,
                                                                                 strict=True)]
            try:
                for _ in all_scopes:
                    entries = _next_finished(finished, running)
                    results_store.append(con, entries, created)
                    saved += len(entries)
            finally:
                stop.set()
        results_store.compact(con, created)
    finally:
        for cursor in cursors:
            cursor.close()
        con.execute(query_text("precompute_memory_reset"))
    return saved


def _next_finished(finished: queue.Queue, running: list[Future]) -> dict:
    """The next scope a worker finished; a worker's error is raised instead of waiting forever."""
    while True:
        try:
            return finished.get(timeout=0.2)
        except queue.Empty:
            for future in running:
                if future.done() and future.exception() is not None:
                    raise future.exception() from None


def refresh(con: duckdb.DuckDBPyConnection, views: Iterable[str]) -> int:
    """Recompute the stored results of ``views`` only (their inputs changed, nothing else did)."""
    wanted = set(views)
    entries = {}
    for view, params in stored_keys(con):
        key = (view, results_store.params_key(params))
        if view in wanted:
            entries[key] = metrics.query_view(con, view, params, stored=False)
    results_store.replace_some(con, entries)
    return len(entries)


def stored_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, metrics.MetricParams]]:
    """Every (view, parameters) the store holds, parameters rebuilt from their key."""
    rows = con.execute(query_text("precomputed_keys")).fetchall()
    out = []
    for view, key in rows:
        fields = json.loads(key)
        for name in ("as_of", "month_from", "month_to", "week_from", "week_to",
                     "coordinator_start"):
            if fields[name] is not None:
                fields[name] = date.fromisoformat(fields[name])
        out.append((view, dataclasses.replace(metrics.MetricParams(), **fields)))
    return out
