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


def test_payback_on_the_sample_agrees_with_the_monthly_figures(sample_db_master, capsys):
    """readiness.payback recomputed from the JSON's own months (spec section 8 by hand)."""
    import pytest

    assert command.main(["--db", str(sample_db_master), "--json", "--from", "2025-10", "--to",
                         "2026-10", "--coordinator-cost", "60000", "--target-rate", "0.75"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    payback = doc["readiness"]["payback"]
    # A = 2026-10-31, W = 90: Jul 31 + 90 = Oct 29 <= A, Aug 31 + 90 > A -> Feb-Jul 2026
    months = {m["month"]: m for m in doc["acceptance"]["months"]}
    basis = [months[f"2026-{m:02d}"] for m in range(2, 8)]
    assert all(m["mature"] for m in basis) and not months["2026-08"]["mature"]
    diagnosed = sum(m["diagnosed_amount"] for m in basis)
    accepted = sum(m["accepted_amount"] for m in basis)
    # the 12 complete months before October 2026: Oct 2025 - Sep 2026
    year = [m for m in doc["production"]["months"] if "2025-10" <= m["month"] <= "2026-09"]
    assert len(year) == 12
    gross = sum(m["gross_production"] for m in year)
    net = sum(m["net_production"] for m in year)
    collected = sum(m["collections"] for m in year)
    d, r = diagnosed / 6, accepted / diagnosed
    n, k, c, v = net / gross, collected / net, payback["completion_share"], 0.14
    gain = d * (0.75 - r) * c * n * k * (1 - v)
    assert payback["monthly_diagnosed"] == pytest.approx(d, abs=0.01)
    assert payback["current_rate"] == pytest.approx(r, abs=1e-4)
    assert payback["net_share"] == pytest.approx(n, abs=1e-4)
    assert payback["collection_rate"] == pytest.approx(k, abs=1e-4)
    assert net < gross  # write-offs come off: n < 1 on the sample
    # c is rounded to 4 places in the JSON: allow for it in the gain
    assert payback["monthly_gain"] == pytest.approx(gain, rel=1e-3)
    assert payback["monthly_net"] == pytest.approx(gain - 5000, abs=gain * 1e-3)
    assert payback["break_even_rate"] == pytest.approx(
        r + 5000 / (d * c * n * k * (1 - v)), rel=1e-3)
    assert payback["pays_for_itself"] is (gain > 5000)
