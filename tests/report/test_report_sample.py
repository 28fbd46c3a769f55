"""The weekly report of the shipped sample practice: the same figures as caseboard.metrics."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from caseboard.commands import report as report_command
from caseboard.metrics import MetricParams, query_view
from caseboard.review.registry import METRICS
from caseboard.storage import read_connection

pytestmark = pytest.mark.xdist_group("report")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "report"
# The sample's data ends 2026-10-31 (a Saturday); a day of the week before it.
MONDAY, SUNDAY = date(2026, 10, 19), date(2026, 10, 25)


def expected_figures(db: Path) -> dict[str, float]:
    """The week's tile figures straight from the metric views, as `caseboard metrics` reads them."""
    week = MetricParams(week_from=MONDAY, week_to=MONDAY)
    sunday = MetricParams(as_of=SUNDAY)
    with read_connection(db) as con:
        acceptance = query_view(con, "metric_acceptance_weekly", week).row(0, named=True)
        production = query_view(con, "metric_production_weekly", week).row(0, named=True)
        new = query_view(con, "metric_new_patients_weekly", week).row(0, named=True)
        unscheduled = query_view(con, "metric_unscheduled", sunday).row(0, named=True)
        ar = query_view(con, "metric_ar_aging", sunday).row(0, named=True)
        claims = query_view(con, "metric_claims_outstanding", sunday).row(0, named=True)
    assert acceptance["week_start"] == MONDAY
    return {
        "diagnosed_amount": float(acceptance["diagnosed_amount"]),
        "accepted_amount": float(acceptance["accepted_amount"]),
        "rate_amount": float(acceptance["rate_amount"]),
        "gross_production": float(production["gross_production"]),
        "collections": float(production["collections"]),
        "new_patients": float(new["count"]),
        "unscheduled_amount": float(unscheduled["total_amount"]),
        "ar_91_plus": float(ar["ar_91_plus"]),
        # Claims sent more than 30 days before the Sunday: the three older buckets.
        "claims_over_30": sum(float(claims[c]) for c in ("aging_31_60", "aging_61_90",
                                                         "aging_91_plus")),
    }


def patient_names(db: Path) -> list[str]:
    """Every patient's full name in the database."""
    with read_connection(db) as con:
        frame = query_view(con, "metric_unscheduled_worklist", MetricParams(as_of=SUNDAY))
    return [f"{f} {la}" for f, la in zip(frame["first_name"], frame["last_name"], strict=True)
            if f and la]


def test_sample_week_report(sample_db_master, kaleido, poppler, tmp_path):
    """`caseboard report` on the sample: the figures of caseboard.metrics, 2 pages, no names."""
    out = tmp_path / "sample.pdf"
    argv = ["--db", str(sample_db_master), "--week", "2026-10-21", "--out", str(out)]
    assert report_command.main(argv) == 0
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout
    for key, value in expected_figures(sample_db_master).items():
        assert METRICS[key].format(value) in text, (key, METRICS[key].format(value))
    assert "Mon Oct 19 – Sun Oct 25, 2026" in text  # the week as the dashboard writes it
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True,
                          text=True).stdout
    assert "Pages:           2" in info or "Pages:           1" in info, info

    names = patient_names(sample_db_master)
    assert len(names) > 100
    assert not [name for name in names if name in text]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(out), str(ARTIFACTS / "sample-page1")], check=True)
    grey = Image.open(ARTIFACTS / "sample-page1.png").convert("L").histogram()
    assert sum(grey[:235]) / sum(grey) > 0.05
