"""Fixtures shared across the suite: the sample practice loaded into a real DuckDB file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from caseboard.settings import SAMPLE_DATA_DIR


def browser_available() -> bool:
    """Whether Debian's Chromium is installed; in CI its absence is a failure, not a skip."""
    present = Path("/usr/bin/chromium").exists()
    if not present and os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install chromium")
    return present


@pytest.fixture(scope="session")
def sample_db_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample practice ingested once per test session (do not modify it)."""
    from pipelines.ingest import ingest_paths

    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    ingest_paths([SAMPLE_DATA_DIR], db=db, practice_id="sample")
    return db


@pytest.fixture
def sample_db(sample_db_master: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database, safe to load into or edit."""
    db = tmp_path / "sample.duckdb"
    shutil.copyfile(sample_db_master, db)
    return db
