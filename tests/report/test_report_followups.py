"""Overdue follow-ups in the weekly report: listed with initials, the note only when
names are asked for (notes are patient data)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from caseboard import followups
from caseboard.followups import Contact
from caseboard.metrics import MetricParams, query_view
from caseboard.report import build_report_pdf, read_report
from caseboard.storage import read_connection
from tests.weekly_practice import WEEK

NOTE = "Prefers mornings, husband decides"


@pytest.fixture(scope="module")
def db(one_practice_db, tmp_path_factory):
    """The tiny practice with one follow-up overdue at the end of the fixture week."""
    db = tmp_path_factory.mktemp("report-followups") / "one.duckdb"
    shutil.copyfile(one_practice_db, db)
    with read_connection(db) as con:
        worklist = query_view(con, "metric_unscheduled_worklist",
                              MetricParams(as_of=date(2026, 10, 11)))
    maria = next(r for r in worklist.to_dicts() if r["first_name"] == "Maria")
    # called 10-01, to be called again 10-05; the week ends Sun 10-11: 6 days overdue
    followups.record(db, [Contact(maria["source_id"], maria["practice_id"], maria["patient_id"],
                                  date(2026, 10, 1), "left_message", None, date(2026, 10, 5),
                                  NOTE, None)])
    return db


def test_the_model_lists_the_overdue_follow_up_without_the_note(db):
    section = read_report(db, WEEK).sections[0]
    assert section.overdue_count == 1
    (row,) = section.overdue
    assert (row.patient, row.next_contact_date, row.days_overdue, row.last_outcome, row.note) == (
        "M. G.", date(2026, 10, 5), 6, "Left message", None)
    named = read_report(db, WEEK, with_names=True).sections[0].overdue[0]
    assert (named.patient, named.note) == ("Maria Garcia", NOTE)


def _text(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_pdf_keeps_notes_out_unless_names_are_asked_for(db, kaleido, poppler, tmp_path):
    plain = _text(build_report_pdf(db, WEEK), tmp_path, "plain")
    assert "Overdue follow-ups (1)" in plain
    assert "Prefers mornings" not in plain and "husband" not in plain
    named = _text(build_report_pdf(db, WEEK, with_names=True), tmp_path, "named")
    assert "Overdue follow-ups (1)" in named and "Prefers mornings" in named
