"""Fixtures shared across the suite: sample practices loaded into real DuckDB files."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from caseboard.settings import SAMPLE_DATA_DIR


def browser_available() -> bool:
    """Whether Debian's Chromium is installed; in CI its absence is a failure, not a skip."""
    present = Path("/usr/bin/chromium").exists()
    if not present and os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install chromium")
    return present


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``<name>.duckdb`` built by ``build(folder)`` once per test run, shared by xdist workers.

    Under xdist every worker has its own session; the first to take the lock builds the
    file in the run's shared temporary folder and the others read the same file.
    """
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / "done").touch()
    return folder / f"{name}.duckdb"


@pytest.fixture(scope="session")
def sample_db_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sample practice ingested once per test run (read only: never modify it)."""
    from pipelines.ingest import ingest_paths

    def build(folder: Path) -> None:
        ingest_paths([SAMPLE_DATA_DIR], db=folder / "sample.duckdb", practice_id="sample")

    return built_once(tmp_path_factory, "sample", build)


@pytest.fixture
def sample_db(sample_db_master: Path, tmp_path: Path) -> Path:
    """A private copy of the sample database, safe to load into or edit."""
    db = tmp_path / "sample.duckdb"
    shutil.copyfile(sample_db_master, db)
    return db


@pytest.fixture(scope="session")
def two_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`caseboard sample --practices 2 --months 8` ingested once per test run (read only).

    Shared by the dashboard's AppTests and the browser test (copy it before writing).
    """
    from caseboard.sample import generate
    from pipelines.ingest import ingest_paths

    def build(folder: Path) -> None:
        generate(folder / "export", practices=2, months=8, seed=7)
        ingest_paths([folder / "export"], db=folder / "two.duckdb")

    return built_once(tmp_path_factory, "two", build)


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
