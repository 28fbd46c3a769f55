"""The dashboard's "Download weekly report (PDF)" and `caseboard report` make one document.

The dashboard's server process has Streamlit's Plotly template as the process default
(``plotly.io.templates.default == "streamlit"``); that template does not grow the axes'
margins to fit their labels, so before the report drew with an explicit template, the
dashboard's PDF clipped every axis label the CLI's PDF showed. Here the dashboard path
runs in this process with Streamlit's template installed, the CLI path in a clean
subprocess, and their pdftotext must be the same, axis labels included, every word in
the same place (a clipped label is still text in an SVG, but drawn elsewhere).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from caseboard.metrics import MetricParams
from tests.weekly_practice import AS_OF, MONDAY

pytestmark = pytest.mark.xdist_group("report")


def _text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    # The only words allowed to differ: when each copy was made.
    return re.sub(r"report made [^.]*\.", "report made (time).", text)


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"([^<]*)</word>")


def _placed_words(pdf: Path) -> list[tuple]:
    """Every word with its box (to 0.1 pt), in reading order, up to "report made" (the time)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    words = []
    for page, chunk in enumerate(html.split("<page ")[1:]):
        for x0, y0, x1, y1, word in WORD.findall(chunk):
            if words and words[-1][0] == "report" and word == "made":
                return words
            words.append((word, page, *(round(float(v), 1) for v in (x0, y0, x1, y1))))
    return words


def _cli_pdf(db: Path, out: Path, practice: str | None = None) -> Path:
    command = [sys.executable, "-m", "caseboard.cli", "report", "--db", str(db),
               "--week", MONDAY.isoformat(), "--out", str(out)]
    if practice:
        command += ["--practice", practice]
    subprocess.run(command, check=True, capture_output=True)
    return out


def _dashboard_pdf(db: Path, out: Path, monkeypatch, practice: str | None = None) -> Path:
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401 - installs Streamlit's Plotly template

    from dashboard import data

    assert pio.templates.default == "streamlit", "the server's process default, as in the bug"
    monkeypatch.setenv("CASEBOARD_DB", str(db))
    build = data.report_pdf(MetricParams(as_of=AS_OF, practice_id=practice), MONDAY, False)
    out.write_bytes(build())
    return out


# The acceptance chart's money axis ($0 .. $2,000 on the tiny practice's weeks) and the
# rate axis (0% .. 100% in steps of 25%); the aging chart's buckets.
AXIS_LABELS = ["$0", "0%", "25%", "50%", "75%", "100%", "0-30 days"]


@pytest.mark.parametrize("fixture, practice", [("one_practice_db", None),
                                               ("tiny_two_practice_db", None),
                                               ("tiny_two_practice_db", "P2")])
def test_dashboard_pdf_is_the_cli_pdf(request, fixture, practice, kaleido, poppler, tmp_path,
                                      monkeypatch):
    """Same text from both paths, and that text carries the charts' axis labels."""
    db = request.getfixturevalue(fixture)
    cli = _text(_cli_pdf(db, tmp_path / "cli.pdf", practice))
    dashboard = _text(_dashboard_pdf(db, tmp_path / "dashboard.pdf", monkeypatch, practice))
    assert dashboard == cli
    placed_cli = _placed_words(tmp_path / "cli.pdf")
    placed_dashboard = _placed_words(tmp_path / "dashboard.pdf")
    moved = [(a, b) for a, b in zip(placed_dashboard, placed_cli, strict=True) if a != b]
    assert moved == [], f"words placed differently (dashboard, cli): {moved[:8]}"
    words = set(cli.split())
    missing = [label for label in AXIS_LABELS if label.split()[0] not in words]
    assert missing == [], f"axis labels missing from the PDF text: {missing}"
    assert re.search(r"\$\d{1,3}(,\d{3})+\b", cli), "a thousands tick on the money axis"

