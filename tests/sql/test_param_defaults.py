"""Every metric default has one home (caseboard/settings.py): a bare SQL session's int_params
reads what build_views wrote from the settings, and equals what resolve_params fills in."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

from caseboard.metrics import MetricParams, resolve_params
from caseboard.storage import read_connection
from caseboard.views import sql_files
from tests.metric_fixtures import build_db

# One patient with one procedure diagnosed Wed 2026-03-18: A = 2026-03-18.
PATIENTS = [{"patient_id": "1", "status": "active"}]
PROCEDURES = [{"procedure_id": "10", "patient_id": "1", "code": "D2740", "fee": "100",
               "status": "planned", "diagnosed_date": "2026-03-18"}]


def _bare_int_params(db: Path) -> dict:
    with read_connection(db) as con:  # no apply_params: every variable unset
        return con.sql("select * from int_params").pl().row(0, named=True)


# MetricParams fields that only Python reads: week_count sets week_from before SQL sees it.
PYTHON_ONLY = {"week_count"}


def _resolved(db: Path) -> dict:
    with read_connection(db) as con:
        resolved = dataclasses.asdict(resolve_params(con, MetricParams()))
    return {k: v for k, v in resolved.items() if k not in PYTHON_ONLY}


def test_a_bare_session_reads_the_settings_defaults(tmp_path: Path):
    db = build_db(tmp_path / "d.duckdb", patients=PATIENTS, procedures=PROCEDURES)
    bare = _bare_int_params(db)
    # A = 2026-03-18; 12 months: 2025-04 .. 2026-03; 13 weeks: Monday 2025-12-22 (12 weeks
    # = 84 days before Monday 2026-03-16) .. 2026-03-16; W 90, 18 months, readiness 1500 / 50
    assert bare == {
        "as_of": date(2026, 3, 18), "window_days": 90, "all_codes": False,
        "practice_id": None, "active_months": 18,
        "month_from": date(2025, 4, 1), "month_to": date(2026, 3, 1),
        "week_from": date(2025, 12, 22), "week_to": date(2026, 3, 16),
        "ready_active": 1500, "ready_new": 50,
        # payback (section 8): yearly cost 60,000, lab share 0.14, no target, no start date
        "coordinator_cost": 60000.0, "target_rate": None, "variable_cost": 0.14,
        "coordinator_start": None,
        "age_days": None,  # no equal-age cap (section 1)
    }
    assert bare == _resolved(db)


def test_configured_defaults_reach_the_bare_session(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_WINDOW_DAYS", "30")
    monkeypatch.setenv("CASEBOARD_ACTIVE_MONTHS", "24")
    monkeypatch.setenv("CASEBOARD_READY_ACTIVE", "900")
    monkeypatch.setenv("CASEBOARD_READY_NEW", "20")
    db = build_db(tmp_path / "c.duckdb", patients=PATIENTS, procedures=PROCEDURES)
    bare = _bare_int_params(db)
    assert (bare["window_days"], bare["active_months"], bare["ready_active"],
            bare["ready_new"]) == (30, 24, 900, 20)
    assert bare == _resolved(db)


def test_no_sql_view_repeats_a_default_number():
    # the defaults' numbers must not come back as literals in int_params
    text = next(p for p in sql_files("intermediate") if p.stem == "int_params").read_text()
    code = "\n".join(line.split("--")[0] for line in text.splitlines())
    assert re.findall(r"\b(?:90|18|1500|50|11|12|13)\b", code) == []
