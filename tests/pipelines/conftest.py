"""Helpers for the ingestion tests: tiny hand-written exports in tmp folders, a real DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

PATIENTS = "patient_id,first_name,last_name,status\n1001,Ann,Lee,active\n1002,Bob,Ray,\n"
PROCEDURES = (
    "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"
    "P1,1001,D2740,1200.00,completed,2025-02-03,2025-02-10\n"
    "P2,1002,D1110,95.50,planned,2025-03-01,\n"
)


class Export:
    """A folder of export files written from literal text."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> Path:
        """Write one file (text in the given encoding) and return its path."""
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return path

    def minimal(self, patients: str = PATIENTS, procedures: str = PROCEDURES) -> Export:
        """Write the two required tables."""
        self.write("patients.csv", patients)
        self.write("procedures.csv", procedures)
        return self


@pytest.fixture
def export(tmp_path: Path) -> Export:
    """An empty export folder."""
    return Export(tmp_path / "export")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database path in tmp_path (not created yet)."""
    return tmp_path / "caseboard.duckdb"


def rows(db: Path, query: str, params: list | None = None) -> list[tuple]:
    """Run a read-only query against the published database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(query, params=params).fetchall()
    finally:
        con.close()


@pytest.fixture
def query():
    """rows(db, query, params) as a fixture."""
    return rows


@pytest.fixture(autouse=True)
def _skip_view_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests check raw tables; rebuilding every view and the precomputed page results
    costs ~1.5 s a load (see tests/sql)."""
    monkeypatch.setattr("caseboard.publish.build_views", lambda con, **_: None)
    monkeypatch.setattr("caseboard.publish.precompute_pages", lambda con, *_: None)
