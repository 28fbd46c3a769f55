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
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = ROOT / "sql"
SAMPLE_DATA_DIR = ROOT / "sample_data"
DASHBOARD_APP = ROOT / "dashboard" / "streamlit_app.py"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Runtime settings; build with `load_settings()`."""

    db_path: Path
    home: Path
    window_days: int = 90
    active_months: int = 18
    ready_active_patients: int = 1500
    ready_new_patients: int = 50
    coordinator_cost: float = 60000.0
    variable_cost_share: float = 0.14
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
        window_days=int(_env("CASEBOARD_WINDOW_DAYS", "90")),
        active_months=int(_env("CASEBOARD_ACTIVE_MONTHS", "18")),
        ready_active_patients=int(_env("CASEBOARD_READY_ACTIVE", "1500")),
        ready_new_patients=int(_env("CASEBOARD_READY_NEW", "50")),
        coordinator_cost=float(_env("CASEBOARD_COORDINATOR_COST", "60000")),
        variable_cost_share=float(_env("CASEBOARD_VARIABLE_COST", "0.14")),
        host=_env("CASEBOARD_HOST", "127.0.0.1"),
        port=int(_env("CASEBOARD_PORT", "8501")),
        upload_limit_mb=int(_env("CASEBOARD_UPLOAD_LIMIT_MB", "200")),
        lock_timeout_s=float(_env("CASEBOARD_LOCK_TIMEOUT", "30")),
        precompute=_env("CASEBOARD_PRECOMPUTE", "1").lower() not in {"0", "false", "no"},
        precompute_threads=int(_env("CASEBOARD_PRECOMPUTE_THREADS",
                                    str(min(4, os.cpu_count() or 1)))),
    )
