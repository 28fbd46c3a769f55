"""Fixtures shared across the suite: sample practices loaded into real DuckDB files."""

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


@pytest.fixture(scope="session")
def two_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`caseboard sample --practices 2 --months 8` ingested once per session (do not modify it).

    Shared by the dashboard's AppTests and the browser test (copy it before writing).
    """
    from caseboard.sample import generate
    from pipelines.ingest import ingest_paths

    root = tmp_path_factory.mktemp("two_practices")
    generate(root / "export", practices=2, months=8, seed=7)
    db = root / "two.duckdb"
    ingest_paths([root / "export"], db=db)
    return db


@pytest.fixture(scope="session")
def one_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny hand-built practice P1 (tests/weekly_practice.py), figures worked by hand."""
    from tests.weekly_practice import build

    return build(tmp_path_factory.mktemp("tiny") / "one.duckdb", {"P1"})


@pytest.fixture(scope="session")
def tiny_two_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny hand-built practices P1 and P2 in one database."""
    from tests.weekly_practice import build

    return build(tmp_path_factory.mktemp("tiny") / "two.duckdb", {"P1", "P2"})
