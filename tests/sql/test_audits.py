"""SQL audits (sql/audits/assert_*.sql) return no rows on realistic data, and do catch errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from caseboard.metrics import MetricParams, apply_params
from caseboard.storage import read_connection
from caseboard.views import sql_files
from tests.metric_fixtures import build_db

AUDITS = sql_files("audits")
PARAMS = [
    MetricParams(),
    MetricParams(all_codes=True, window_days=30),
    MetricParams(as_of=dt.date(2026, 2, 14), month_from=dt.date(2025, 6, 1),
                 month_to=dt.date(2026, 5, 1), week_from=dt.date(2026, 1, 5),
                 week_to=dt.date(2026, 3, 2)),
    MetricParams(practice_id="sample", active_months=6),
]


def violations(db: Path, params: MetricParams) -> dict[str, list[tuple]]:
    """Each audit's violating rows under ``params``."""
    found = {}
    with read_connection(db) as con:
        apply_params(con, params)
        for audit in AUDITS:
            found[audit.stem] = con.sql(audit.read_text()).fetchall()
    return found


def test_audits_exist():
    assert len(AUDITS) >= 7
    assert all(path.stem.startswith("assert_") for path in AUDITS)


@pytest.mark.parametrize("params", PARAMS, ids=["default", "all-codes-w30", "past", "practice"])
def test_sample_practice_passes_every_audit(sample_db_master, params):
    assert violations(sample_db_master, params) == {audit.stem: [] for audit in AUDITS}


def test_sample_practice_has_numbers(sample_db_master):
    # guard against audits passing on an empty database
    with read_connection(sample_db_master) as con:
        apply_params(con, MetricParams())
        (total,) = con.sql("select total_amount from metric_unscheduled").fetchall()[0]
        (diagnosed,) = con.sql(
            "select sum(diagnosed_amount) from metric_acceptance_monthly").fetchall()[0]
    assert total > 0 and diagnosed > 0


def test_audits_catch_a_wrong_view(tmp_path):
    db = build_db(
        tmp_path / "broken.duckdb",
        patients=[{"patient_id": "1"}],
        procedures=[{"procedure_id": "1", "patient_id": "1", "code": "D2740", "fee": "100",
                     "status": "completed", "diagnosed_date": "2026-01-05",
                     "completed_date": "2026-01-20"}],
    )
    assert violations(db, MetricParams())["assert_ar_total_is_buckets"] == []
    # break the published file directly (publishing would rebuild the real views)
    con = duckdb.connect(str(db))
    con.execute((Path(__file__).parent / "broken_ar_view.sql").read_text())
    con.close()
    found = violations(db, MetricParams())
    assert len(found["assert_ar_total_is_buckets"]) == 1
