"""Upload, quarantine, optional-table messages and Open Dental reconciliation on the Data page."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
PATIENTS = b"""patient_id,first_name,last_name,phone,status,first_visit_date
P1,Ann,Lee,555-0101,active,2026-01-05
"""
PROCEDURES = b"""procedure_id,patient_id,code,fee,status,diagnosed_date,scheduled_date,\
completed_date
X1,P1,D2740,1200,completed,2026-01-05,2026-01-20,2026-02-10
X3,P1,D3330,1000,planned,2026-01-05,,
X9,P1,D3330,abc,planned,2026-01-05,,
"""


class Upload:
    """What st.file_uploader hands the page: a name, a size and the bytes."""

    def __init__(self, name: str, content: bytes):
        self.name, self._content, self.size = name, content, len(content)

    def getbuffer(self) -> memoryview:
        return memoryview(self._content)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "upload.duckdb"
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return db


def test_upload_loads_and_quarantines(env: Path, tmp_path: Path):
    steps = []
    summary = data.ingest_uploads(
        [Upload("patients.csv", PATIENTS), Upload("../procedures.csv", PROCEDURES)],
        practice_id="t1", full=False, progress=lambda *args: steps.append(args),
    )
    # 3 procedure rows read: X1 and X3 loaded, X9 refused for its fee
    assert summary.tables["procedures"] == {"read": 3, "loaded": 2, "quarantined": 1}
    assert data.summary_frame(summary).filter(table="patients")["loaded"].to_list() == [1]
    assert steps, "the loader reported progress"
    assert list((tmp_path / "tmp").iterdir()) == [], "the private upload folder is removed"
    rejects = data.load_rejects()
    assert rejects["row_key"].to_list() == ["X9"]
    assert rejects["column_name"].to_list() == ["fee"]
    assert "row_data" not in rejects.columns, "row data may hold names: never shown"

    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/data_page.py").run()
    assert not at.exception
    assert at.dataframe[0].value["rejected_rows"].tolist() == [1]
    assert "abc" in at.dataframe[1].value["value"].tolist()
    # no claims, payments or adjustments loaded: the page says which file fills them
    assert any("claims.csv" in i.value for i in at.info)
    at.switch_page("app_pages/collections.py").run()
    assert not at.exception
    assert any("load claims.csv to see claims aging" in i.value for i in at.info)
    assert any("load payments.csv to see collections" in i.value for i in at.info)


def test_new_load_is_picked_up_without_restart(env: Path):
    from pipelines.ingest import ingest_paths

    data.ingest_uploads([Upload("patients.csv", PATIENTS), Upload("procedures.csv", PROCEDURES)],
                        practice_id="t1", full=False)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/unscheduled.py").run()
    # A = Feb 10 (X1 completed); X3 is planned and unscheduled: $1,000
    assert at.metric[0].value == "$1,000"
    export = env.parent / "second"
    export.mkdir()
    (export / "patients.csv").write_bytes(PATIENTS)
    (export / "procedures.csv").write_bytes(
        PROCEDURES.replace(b"X9,P1,D3330,abc", b"X4,P1,D2392,200"))
    ingest_paths([export], db=env, practice_id="t1")  # outside the app: no cache cleared
    at.run()
    # the file's stamp changed, so the cached frames are stale: X3 + X4 = 1,000 + 200
    assert at.metric[0].value == "$1,200"


def test_rejected_patient_values_hidden_when_deidentified():
    import polars as pl

    rejects = pl.DataFrame({
        "table_name": ["patients", "procedures", "procedures"],
        "value": ["555-ANN-LEE", "abc", None],
        "reason": ['patients.csv row 2, column birth_date: "555-ANN-LEE" is not a date',
                   'procedures.csv row 3, column fee: "abc" is not an amount',
                   "procedures.csv row 4, column fee: is empty (a value is required)"],
    })
    masked = data.mask_patient_values(rejects)
    # every table's refused value may be patient data (a name typed into a fee column)
    assert masked["value"].to_list() == ["(hidden)", "(hidden)", None]
    assert masked["reason"].to_list() == [
        'patients.csv row 2, column birth_date: "(hidden)" is not a date',
        'procedures.csv row 3, column fee: "(hidden)" is not an amount',
        "procedures.csv row 4, column fee: is empty (a value is required)",
    ]


def test_upload_over_the_limit_loads_nothing(env: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CASEBOARD_UPLOAD_LIMIT_MB", "0")
    with pytest.raises(ValueError, match="the limit is 0 MB"):
        data.ingest_uploads([Upload("patients.csv", PATIENTS)], practice_id="t1", full=False)
    assert not env.exists()


def test_open_dental_reconciliation_shown(env: Path):
    from pipelines.ingest import ingest_paths
    from pipelines.opendental_sample import generate, write_folder

    folder = write_folder(generate(), env.parent / "od")
    ingest_paths([folder], db=env, practice_id="od", fmt="opendental")
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("app_pages/data_page.py").run()
    assert not at.exception
    assert "Reconciliation with Open Dental" in [s.value for s in at.subheader]
    table = at.dataframe[-1].value
    assert table["Figure"].tolist()[0] == "Gross production (less capitation write-offs)"
    assert all(text for text in table["Why"].tolist())
