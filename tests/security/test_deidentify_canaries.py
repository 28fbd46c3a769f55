"""De-identified mode shows no patient-derived text on any page: canary names, phones and emails
planted in refused rows (quoted by reject reasons) and in labels never reach a page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from caseboard import privacy
from pipelines.ingest import ingest_paths
from tests.security.exports import (
    PATIENT_COLUMNS,
    PROCEDURE_COLUMNS,
    patient_row,
    procedure_row,
    write_csv,
)

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"
PAGES = ["weekly", "acceptance", "unscheduled", "growth", "collections", "coordinator",
         "data_page"]
NAME, EMAIL, PHONE = "Quibbleworth", "zeb.quibble@canary.test", "(555) 013-2468"
CANARIES = [NAME, "Zebulon", EMAIL, "canary.test", "013-2468", "0132468"]
RECENT = (date.today() - timedelta(days=30)).isoformat()


@pytest.fixture(scope="module")
def canary_db(tmp_path_factory) -> Path:
    """Good rows plus refused rows whose bad cells hold a name, an email and a phone."""
    root = tmp_path_factory.mktemp("canary")
    folder = root / "export"
    write_csv(folder / "patients.csv", PATIENT_COLUMNS, [
        patient_row("P1", "Ann", "Lee", first_visit_date=RECENT,
                    referral_source=f"friend {EMAIL} {PHONE}"),
        patient_row("P2", "Bo", "Ng", first_visit_date=RECENT, phone="(555) 010-1111"),
        # refused: each bad cell quotes a canary in its reason
        patient_row("P7", "Zebulon", NAME, birth_date=f"born {NAME}", phone=PHONE, email=EMAIL),
        patient_row("P8", "Zebulon", NAME, status=EMAIL),
        patient_row("P9", "Zebulon", NAME, first_visit_date=PHONE),
    ])
    write_csv(folder / "procedures.csv", PROCEDURE_COLUMNS, [
        procedure_row("X1", "P1", diagnosed_date=RECENT),
        procedure_row("X2", "P2", diagnosed_date=RECENT, status="completed",
                      completed_date=RECENT),
        procedure_row("X3", "P1", fee=f"Zebulon {NAME}", diagnosed_date=RECENT),
        procedure_row("X4", "P2", diagnosed_date=EMAIL),
    ])
    db = root / "db.duckdb"
    summary = ingest_paths([folder], db=db, practice_id="p1")
    assert len(summary.rejects) >= 5
    return db


def _page_texts(at: AppTest) -> str:
    """Everything the page sent: every element's message (markdown, tables as Arrow, charts'
    JSON, alerts, widgets' labels and options) and every table's cells as CSV."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    out += [frame.value.to_csv() for frame in at.dataframe]
    return "\n".join(out)


def _visit_all(db: Path, tmp_path: Path, monkeypatch, deidentify: bool) -> dict[str, str]:
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    if deidentify:
        monkeypatch.setenv("CASEBOARD_DEIDENTIFY", "1")
    else:
        monkeypatch.delenv("CASEBOARD_DEIDENTIFY", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    texts = {}
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page
        texts[page] = _page_texts(at)
    return texts


def _leaks(texts: dict[str, str]) -> dict[str, list[str]]:
    return {page: found for page, text in texts.items()
            if (found := [c for c in CANARIES if c in text])}


def test_the_canaries_show_when_not_de_identified(canary_db, tmp_path, monkeypatch):
    """The control: identified, the Data page's reasons and the referral chart quote them."""
    leaks = _leaks(_visit_all(canary_db, tmp_path, monkeypatch, deidentify=False))
    assert NAME in leaks.get("data_page", []), leaks
    assert EMAIL in leaks.get("data_page", []), leaks
    assert "013-2468" in leaks.get("data_page", []), leaks
    assert EMAIL in leaks.get("growth", []), leaks


def test_no_canary_on_any_page_when_de_identified(canary_db, tmp_path, monkeypatch):
    texts = _visit_all(canary_db, tmp_path, monkeypatch, deidentify=True)
    assert "Quarantined rows" in texts["data_page"]
    assert "is not a date" in texts["data_page"]  # the reasons are still there, values hidden
    assert _leaks(texts) == {}


def test_deidentify_text_hides_quoted_values_emails_and_phones():
    reason = f'patients.csv row 4, column birth_date: "born {NAME}" is not a date'
    assert privacy.deidentify_text(reason, [f"born {NAME}"]) == (
        'patients.csv row 4, column birth_date: "(hidden)" is not a date')
    assert privacy.deidentify_text(f"call {PHONE} or {EMAIL}") == "call [redacted] or [redacted]"
    assert privacy.deidentify_text('value "a"b" refused', ['a"b']) == 'value "(hidden)" refused'
