"""The dashboard on an Open Dental load: clinics by name in the selector, load warnings shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.ingest import ingest_paths
from pipelines.opendental_sample import write_folder
from tests.opendental.test_unattended import _clinics

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


def test_selector_names_clinics_and_data_page_warns(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "od.duckdb"
    ingest_paths([write_folder(_clinics(), tmp_path / "export")], db=db)
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    selector = at.selectbox(key="practice")
    # clinic 1 by its Abbr, clinic 2 by its Description (no Abbr), main has no name
    assert list(selector.options) == ["All practices", "DTWN (1)", "Uptown (2)", "main"]
    selector.select("1").run()
    assert not at.exception
    at.switch_page("app_pages/data_page.py").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("Load warning" in w and "1 paysplit row(s) sit in no clinic" in w
               for w in warnings), warnings
