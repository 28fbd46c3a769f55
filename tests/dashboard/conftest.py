"""Dashboard fixtures: a two-practice synthetic database built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def two_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`caseboard sample --practices 2 --months 8` ingested into a real DuckDB file."""
    from caseboard.sample import generate
    from pipelines.ingest import ingest_paths

    root = tmp_path_factory.mktemp("dashboard")
    generate(root / "export", practices=2, months=8, seed=7)
    db = root / "two.duckdb"
    ingest_paths([root / "export"], db=db)
    return db
