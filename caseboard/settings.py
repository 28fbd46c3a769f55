"""Every setting in one place, each overridable by an environment variable.

| setting | environment variable | default |
| --- | --- | --- |
| db_path | CASEBOARD_DB | ./caseboard.duckdb |
| home | CASEBOARD_HOME | ~/.config/caseboard (password hash, config) |
| window_days | CASEBOARD_WINDOW_DAYS | 90 |
| active_months | CASEBOARD_ACTIVE_MONTHS | 18 |
| ready_active_patients | CASEBOARD_READY_ACTIVE | 1500 |
| ready_new_patients | CASEBOARD_READY_NEW | 50 |
| coordinator_cost | CASEBOARD_COORDINATOR_COST | 60000 (yearly cost, for the payback) |
| variable_cost_share | CASEBOARD_VARIABLE_COST | 0.14 (lab and supplies share of fees) |
| host | CASEBOARD_HOST | 127.0.0.1 |
| port | CASEBOARD_PORT | 8501 |
| upload_limit_mb | CASEBOARD_UPLOAD_LIMIT_MB | 200 |
| lock_timeout_s | CASEBOARD_LOCK_TIMEOUT | 30 |
| precompute | CASEBOARD_PRECOMPUTE | 1 (0 = no precomputed page results; pages run the views) |
| precompute_threads | CASEBOARD_PRECOMPUTE_THREADS | the machine's cores, at most 4 |

The metric defaults (window, lookback, readiness thresholds, payback cost and lab share)
and the lengths of the default ranges (12 months, 13 weeks) are named once below.
``caseboard.metrics.resolve_params`` fills every unset parameter from them;
``caseboard.views.build_views`` writes them into the one-row table ``param_defaults``, which
``sql/intermediate/int_params.sql`` falls back to, so a bare SQL session (no
``apply_params``) reads the same numbers and SQL repeats none.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = ROOT / "sql"
SAMPLE_DATA_DIR = ROOT / "sample_data"
DASHBOARD_APP = ROOT / "dashboard" / "streamlit_app.py"
QUERIES_DIR = SQL_DIR / "queries"

WINDOW_DAYS = 90  # acceptance window W, days
ACTIVE_MONTHS = 18  # active-patient lookback, months
READY_ACTIVE_PATIENTS = 1500  # readiness: active patients needed
READY_NEW_PATIENTS = 50  # readiness: new patients a month (3-month average) needed
RANGE_MONTHS = 12  # the default month range: the 12 months ending with A's month
RANGE_WEEKS = 13  # the default week range: the 13 weeks ending with A's week
COORDINATOR_COST = 60000.0  # payback: a coordinator's yearly cost, dollars
VARIABLE_COST_SHARE = 0.14  # payback: lab and supplies share of fees


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with `load_settings()`."""

    db_path: Path
    home: Path
    window_days: int = WINDOW_DAYS
    active_months: int = ACTIVE_MONTHS
    ready_active_patients: int = READY_ACTIVE_PATIENTS
    ready_new_patients: int = READY_NEW_PATIENTS
    coordinator_cost: float = COORDINATOR_COST
    variable_cost_share: float = VARIABLE_COST_SHARE
    host: str = "127.0.0.1"
    port: int = 8501
    upload_limit_mb: int = 200
    lock_timeout_s: float = 30.0
    precompute: bool = True
    precompute_threads: int = 2


def load_settings() -> Settings:
    """Read settings from the environment, falling back to the defaults."""
    return Settings(
        db_path=Path(_env("CASEBOARD_DB", "caseboard.duckdb")),
        home=Path(_env("CASEBOARD_HOME", str(Path.home() / ".config" / "caseboard"))),
        window_days=int(_env("CASEBOARD_WINDOW_DAYS", str(WINDOW_DAYS))),
        active_months=int(_env("CASEBOARD_ACTIVE_MONTHS", str(ACTIVE_MONTHS))),
        ready_active_patients=int(_env("CASEBOARD_READY_ACTIVE", str(READY_ACTIVE_PATIENTS))),
        ready_new_patients=int(_env("CASEBOARD_READY_NEW", str(READY_NEW_PATIENTS))),
        coordinator_cost=float(_env("CASEBOARD_COORDINATOR_COST", str(COORDINATOR_COST))),
        variable_cost_share=float(_env("CASEBOARD_VARIABLE_COST", str(VARIABLE_COST_SHARE))),
        host=_env("CASEBOARD_HOST", "127.0.0.1"),
        port=int(_env("CASEBOARD_PORT", "8501")),
        upload_limit_mb=int(_env("CASEBOARD_UPLOAD_LIMIT_MB", "200")),
        lock_timeout_s=float(_env("CASEBOARD_LOCK_TIMEOUT", "30")),
        precompute=_env("CASEBOARD_PRECOMPUTE", "1").lower() not in {"0", "false", "no"},
        precompute_threads=int(_env("CASEBOARD_PRECOMPUTE_THREADS",
                                    str(min(4, os.cpu_count() or 1)))),
    )


def query_text(name: str) -> str:
    """The text of ``sql/queries/<name>.sql`` (a parameterised query that is not a metric)."""
    return (QUERIES_DIR / f"{name}.sql").read_text()
