"""The weekly owner report: the weekly review as a one-to-two-page PDF or HTML document.

``build_report_pdf(db, week)`` is what the dashboard's weekly review page offers as
a download; ``caseboard report`` writes the same document to a file.
"""

from __future__ import annotations

import os
from datetime import date

from caseboard.metrics import MetricParams
from caseboard.report.images import (
    ChartsUnavailable,
    data_uri,
    image,
    kaleido_session,
    section_figures,
)
from caseboard.report.model import NoData, Report, build_report
from caseboard.report.render import html_to_pdf, render_html
from caseboard.storage import read_connection

__all__ = ["ChartsUnavailable", "NoData", "build_report_html", "build_report_pdf", "read_report"]

# Pixel width, height and x-label angle of each chart (drawn at 2x for print).
CHART_SIZES = {"trend": (1000, 360, -35), "aging": (640, 270, 0)}


def read_report(db: str | os.PathLike[str] | None, week: date | None = None,
                practice_id: str | None = None, with_names: bool = False,
                params: MetricParams | None = None) -> Report:
    """Read the report model from the published database (short read-only connection)."""
    with read_connection(db) as con:
        return build_report(con, week, practice_id, with_names, params)


def chart_images(report: Report) -> dict[str | None, dict[str, str]]:
    """SVG data URIs of every section's charts, drawn in one kaleido session."""
    images: dict[str | None, dict[str, str]] = {}
    with kaleido_session():
        for section in report.sections:
            figures = section_figures(section)
            images[section.practice_id] = {
                name: data_uri(image(fig, *CHART_SIZES[name])) for name, fig in figures.items()
            }
    return images


def build_report_html(db: str | os.PathLike[str] | None, week: date | None = None,
                      practice_id: str | None = None, with_names: bool = False,
                      paper: str = "letter", params: MetricParams | None = None) -> str:
    """The weekly report as a self-contained HTML document."""
    report = read_report(db, week, practice_id, with_names, params)
    try:
        images = chart_images(report)
    except ChartsUnavailable as error:
        images = {}
        report.notes.append(f"Charts left out: {error}.")
    return render_html(report, images, paper)


def build_report_pdf(db: str | os.PathLike[str] | None, week: date | None = None,
                     practice_id: str | None = None, with_names: bool = False,
                     paper: str = "letter", params: MetricParams | None = None) -> bytes:
    """The weekly report as PDF bytes (the week holding ``week``; default the last complete one)."""
    return html_to_pdf(build_report_html(db, week, practice_id, with_names, paper, params))
