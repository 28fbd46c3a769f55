"""metrics.query_views: several views under one parameter set equal query_view, view by view."""

from __future__ import annotations

import pytest

from caseboard.metrics import MetricParams, MetricsError, query_view, query_views
from caseboard.storage import read_connection
from tests.metric_fixtures import build_db, d

A = d("2026-03-31")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "b.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "1", "status": "active"},
                  {"practice_id": "P2", "patient_id": "2", "status": "active"}],
        procedures=[
            {"procedure_id": "1", "patient_id": "1", "code": "D2740", "fee": "1200",
             "status": "completed", "diagnosed_date": "2026-03-02",
             "completed_date": "2026-03-09"},
            {"practice_id": "P2", "procedure_id": "2", "patient_id": "2", "code": "D2740",
             "fee": "800", "status": "planned", "diagnosed_date": "2026-03-03"},
        ],
    )


def test_query_views_matches_query_view_and_its_parameters(db):
    views = ["metric_acceptance_monthly", "metric_unscheduled", "metric_production_monthly"]
    p1 = MetricParams(as_of=A, practice_id="P1", month_from=d("2026-03-01"))
    with read_connection(db) as con:
        together = query_views(con, views, p1)
        # another practice in between must not leak into the batch read after it
        query_view(con, "metric_unscheduled", MetricParams(as_of=A, practice_id="P2"))
        apart = [query_view(con, view, p1) for view in views]
        again = query_views(con, views, p1)
    for one, other, third in zip(together, apart, again, strict=True):
        assert one.equals(other) and one.equals(third)
    monthly, unscheduled, production = together
    # P1 only: diagnosed 1200 and accepted (completed 03-09) in March; P2's planned 800 is
    # P2's unscheduled treatment, so P1 has none; P1's production is the 1200 completed
    assert (monthly["diagnosed_amount"][0], monthly["accepted_amount"][0]) == (1200, 1200)
    assert unscheduled["total_amount"][0] == 0
    assert production["gross_production"][0] == 1200


def test_query_views_refuses_an_unknown_view_before_reading(db):
    with read_connection(db) as con, pytest.raises(MetricsError, match="raw_patients"):
        query_views(con, ["metric_unscheduled", "raw_patients"], MetricParams(as_of=A))


def test_apply_params_resets_a_variable_someone_else_changed(db):
    # apply_params skips variables already holding the value; a change made by another
    # setter in between (reconciliation sets practice_id) must still be undone
    p1 = MetricParams(as_of=A, practice_id="P1", month_from=d("2026-03-01"))
    with read_connection(db) as con:
        first = query_view(con, "metric_production_monthly", p1)
        con.execute("SET VARIABLE practice_id = 'P2'")
        con.execute("SET VARIABLE window_days = 90.0")
        again = query_view(con, "metric_production_monthly", p1)
        held = con.sql("select getvariable('practice_id'), typeof(getvariable('window_days'))"
                       ).fetchall()
    # P1's production is its completed 1200 both times, never P2's 0
    assert first["gross_production"][0] == again["gross_production"][0] == 1200
    assert held == [("P1", "INTEGER")]
