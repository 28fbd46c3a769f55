"""The shipped sample practice tells its story through `caseboard metrics --json`."""

from __future__ import annotations

import json

import jsonschema

from caseboard.commands import metrics as command
from tests.test_metrics_json import SCHEMA

# The sample's coordinator (Tess Casewell) starts in May 2025 (caseboard.sample: history
# 2023-11 .. 2026-10, hire halfway), presenting most plans from then on.


def _year(db, capsys, first: str, last: str) -> dict:
    assert command.main(["--db", str(db), "--json", "--from", first, "--to", last]) == 0
    return json.loads(capsys.readouterr().out)


def _pooled_rate(doc: dict) -> float:
    months = doc["acceptance"]["months"]
    return sum(m["accepted_amount"] for m in months) / sum(m["diagnosed_amount"] for m in months)


def test_acceptance_rises_after_the_coordinator_starts(sample_db_master, capsys):
    before = _year(sample_db_master, capsys, "2024-05", "2025-04")
    after = _year(sample_db_master, capsys, "2025-05", "2026-04")
    for doc in (before, after):
        jsonschema.validate(doc, SCHEMA)
        assert len(doc["acceptance"]["months"]) == 12
        assert all(m["mature"] for m in doc["acceptance"]["months"])  # Apr 30 + 90 <= A
    # measured: 0.476 before, 0.669 after; require a clear rise of 10 points
    assert _pooled_rate(after) > _pooled_rate(before) + 0.10


def test_sample_numbers_are_believable(sample_db_master, capsys):
    doc = json.loads(_run(sample_db_master, capsys))
    assert doc["as_of"] == "2026-10-31"  # the newest event: the sample ends 2026-10-31
    assert 1000 < doc["active_patients"] < 2500
    assert doc["unscheduled"]["total_amount"] > 0
    assert doc["ar_aging"]["total"] > 0
    assert 0.5 < sum(m["collections"] for m in doc["production"]["months"]) / sum(
        m["net_production"] for m in doc["production"]["months"]) < 1.5


def _run(db, capsys) -> str:
    assert command.main(["--db", str(db), "--json"]) == 0
    return capsys.readouterr().out
