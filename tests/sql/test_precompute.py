"""The precomputed results store: every stored result equals its view run live, the
store follows every write, and the pages' default renders read nothing else."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from caseboard import followups, metrics, precompute, results_store
from caseboard.publish import publishing
from caseboard.review import periods, weekly
from caseboard.views import sql_files

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
PAGES = ["weekly", "acceptance", "unscheduled", "growth", "collections", "coordinator",
         "data_page"]


@pytest.mark.parametrize("fixture", ["two_practice_db", "tiny_two_practice_db"])
def test_every_stored_result_equals_the_live_view(fixture: str, request: pytest.FixtureRequest):
    db = request.getfixturevalue(fixture)
    with duckdb.connect(str(db), read_only=True) as con:
        stored = precompute.stored_keys(con)
        assert stored, "nothing was precomputed"
        keys = [(view, results_store.params_key(params)) for view, params in stored]
        found_all = results_store.lookup(con, keys)
        assert set(found_all) == set(keys)
        for (view, params), key in zip(stored, keys, strict=True):
            found = found_all[key]
            live = metrics.query_view(con, view, params, stored=False)
            assert found.schema == live.schema, (view, key)
            assert found.equals(live), (view, key)
        practices = {params.practice_id for _, params in stored}
        expected = {None, *metrics.query_view(con, "metric_practices",
                                              metrics.MetricParams())["practice_id"]}
    assert practices == expected


@pytest.mark.parametrize("goals_only", [False, True])
def test_a_write_rebuilds_the_store(goals_only: bool, sample_db: Path):
    params = precompute.page_params(None)
    with duckdb.connect(str(sample_db), read_only=True) as con:
        before = metrics.query_view(con, "metric_goal_progress", params)
        entries = len(precompute.stored_keys(con))
    with publishing(sample_db, goals_only=goals_only) as con:
        con.execute("insert into goals (goal_id, metric, target, period, practice_id, member_id,"
                    " created_at) values (nextval('goal_id_seq'), 'collections', 1000, 'month',"
                    " null, null, now())")
    with duckdb.connect(str(sample_db), read_only=True) as con:
        after = metrics.query_view(con, "metric_goal_progress", params)
        live = metrics.query_view(con, "metric_goal_progress", params, stored=False)
        key = ("metric_goal_progress",
               results_store.params_key(metrics.resolve_params(con, params)))
        hit = results_store.lookup(con, [key])
        kept = len(precompute.stored_keys(con))
    assert key in hit
    assert after.height == before.height + 1
    assert after.equals(live)
    assert kept == entries


def test_only_the_goal_views_read_goals():
    readers = {path.stem for layer in ("staging", "intermediate", "marts")
               for path in sql_files(layer)
               if re.search(r"\b(from|join)\s+goals\b", path.read_text(), re.IGNORECASE)}
    # the follow-up goals are read live (never stored), so a goal edit need not refresh them
    assert readers - set(followups.VIEWS) == set(precompute.GOAL_VIEWS)


def test_switched_off_the_store_is_empty_and_views_run_live(sample_db: Path,
                                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_PRECOMPUTE", "0")
    with publishing(sample_db):
        pass
    with duckdb.connect(str(sample_db), read_only=True) as con:
        assert precompute.stored_keys(con) == []
        assert metrics.query_view(con, "metric_unscheduled", metrics.MetricParams()).height == 1


@pytest.mark.parametrize("practice", [None, "p001"])
def test_default_page_renders_read_only_the_store(practice: str | None, two_practice_db: Path,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_DB", str(two_practice_db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    live_runs: list[tuple[str, str]] = []
    run_view = metrics._run_view

    def counting(con, view, resolved):
        # The follow-up views read people's entries, which change without a load, so they
        # are never stored (caseboard.followups.VIEWS); every other request must be.
        if resolved is not None and view not in followups.VIEWS:
            live_runs.append((page, view))
        return run_view(con, view, resolved)

    monkeypatch.setattr(metrics, "_run_view", counting)
    at = AppTest.from_file(str(APP), default_timeout=120)
    page = "weekly"
    at.run()
    if practice is not None:
        at.selectbox(key="practice").set_value(practice).run()
    assert not at.exception
    for page in PAGES[1:]:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
    assert live_runs == []


@pytest.mark.parametrize("fixture", ["two_practice_db", "tiny_two_practice_db"])
def test_side_by_side_tiles_from_stacked_results_equal_each_practices_week(
        fixture: str, request: pytest.FixtureRequest):
    db = request.getfixturevalue(fixture)
    with duckdb.connect(str(db), read_only=True) as con:
        practices = sorted(metrics.query_view(con, "metric_practices",
                                              metrics.MetricParams())["practice_id"])
        params = [precompute.page_params(p) for p in practices]
        as_of = metrics.default_as_of(con)
        stored_week = periods.last_complete_week(as_of)
        for monday in (stored_week, stored_week - timedelta(weeks=5)):
            one_by_one = [weekly.read_week(con, p, monday, history=False).this_week()
                          for p in params]
            assert weekly.week_tiles(con, params, monday) == one_by_one
        # the stored week is served stacked: every request was precomputed
        plans = [weekly.week_requests(metrics.resolve_params(con, p), stored_week,
                                      history=False) for p in params]
        for i, (view, _) in enumerate(plans[0]):
            assert metrics.query_stacked(con, view, [plan[i][1] for plan in plans],
                                         "group") is not None


def test_a_stacked_read_tags_each_row_with_its_parameter_sets_position(
        tiny_two_practice_db: Path):
    # P1, P2, then P1 again: three groups, the third a copy of the first; each group's rows
    # are the view's rows for that practice, in the view's order
    with duckdb.connect(str(tiny_two_practice_db), read_only=True) as con:
        params = [precompute.page_params(p) for p in ("P1", "P2", "P1")]
        stacked = metrics.query_stacked(con, "metric_production_monthly", params, "group")
        assert stacked is not None
        assert sorted(set(stacked["group"])) == [0, 1, 2]
        for position, one in enumerate(params):
            rows = stacked.filter(pl.col("group") == position).drop("group")
            assert rows.equals(metrics.query_view(con, "metric_production_monthly", one,
                                                  stored=False))
        # a parameter set that was not precomputed: no stacked read
        other = params[0].but(window_days=30)
        assert metrics.query_stacked(con, "metric_production_monthly", [other], "group") is None
