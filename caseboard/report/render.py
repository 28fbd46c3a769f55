"""Turn the report model into HTML (Jinja2 template) and PDF (WeasyPrint)."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from caseboard.report.model import Report, Section, Tile
from caseboard.review.format import count, day, is_flat, load_time, money, week
from caseboard.review.registry import METRICS

TEMPLATES = Path(__file__).with_name("templates")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def trend_class(tile: Tile, delta: float | None) -> str:
    """'good', 'bad' or 'flat' for a change, by whether higher is better for the metric."""
    if delta is None or _is_flat(tile, delta):
        return "flat"
    return "good" if (delta > 0) == tile.higher_is_better else "bad"


def _is_flat(tile: Tile, delta: float) -> bool:
    return is_flat(tile.kind, delta)


def arrow(tile: Tile, delta: float | None) -> str:
    """An up or down arrow for a change ('' when there is none to speak of)."""
    if delta is None or _is_flat(tile, delta):
        return "▬"
    return "▲" if delta > 0 else "▼"


def _comparison(tile: Tile, delta: float | None, reference: float | None, words: str) -> dict:
    return {
        "words": words,
        "arrow": arrow(tile, delta),
        "css": trend_class(tile, delta),
        "delta": tile.format_delta(delta) if delta is not None else "no figure",
        "reference": tile.format(reference),
    }


def tile_view(tile: Tile) -> dict:
    """What the template shows for one tile."""
    return {
        "label": tile.label,
        "value": tile.format(tile.value),
        "provisional": tile.provisional,
        "definition": tile.definition,
        "comparisons": [
            _comparison(tile, tile.vs_last, tile.last_week, "vs last week"),
            _comparison(tile, tile.vs_average, tile.average, "vs 4-week average"),
        ],
    }


def short_codes(codes: str | None, keep: int = 3, separator: str = ",",
                width: int | None = None) -> str:
    """At most ``keep`` whole items of a list (codes or treatments), then '+N more'; with
    ``width``, a long item is cut at a word (never inside a code) and ends in '…'."""
    if not codes:
        return "—"
    parts = [c.strip() for c in codes.split(separator) if c.strip()]
    if width:
        parts = [textwrap.shorten(part, width, placeholder="…") for part in parts]
    more = f" +{len(parts) - keep} more" if len(parts) > keep else ""
    return f"{separator} ".join(parts[:keep]) + more


def section_view(section: Section, images: dict[str, str]) -> dict:
    """What the template shows for one practice."""
    return {
        "practice_id": section.practice_id,
        "tiles": [tile_view(t) for t in section.tiles],
        "changes": section.changes,
        "coordinator": section.coordinator,
        "goals": section.goals,
        "goal_periods": sorted({(g.period, g.dates) for g in section.goals}),
        "overdue": [{
            "patient": o.patient,
            "due": day(o.next_contact_date),
            "days": o.days_overdue,
            "outcome": o.last_outcome or "—",
            "note": o.note or "",
        } for o in section.overdue],
        "overdue_count": section.overdue_count,
        "cases": [{
            "patient": c.patient,
            "amount": money(c.amount),
            "procedures": c.procedure_count,
            "oldest": day(c.oldest_diagnosed_date),
            "age_days": c.age_days,
            "next": day(c.next_appointment) if c.next_appointment else "none booked",
            "providers": c.providers or "—",
            "codes": (short_codes(c.treatment, 1, ";", width=32) if c.treatment
                      else short_codes(c.codes)),
        } for c in section.cases],
        "unscheduled_total": section.tile("unscheduled_amount").format(
            section.tile("unscheduled_amount").value
        ),
        "unscheduled_patients": section.unscheduled_patients,
        "images": images,
        "age_text": section.age_text,
        "actions": [{
            "label": a.label,
            "count": count(a.count),
            "amount": None if a.amount is None else money(a.amount),
            "note": a.note,
            "place": a.place,
        } for a in section.actions],
    }


COMPARED_KEYS = ["diagnosed_amount", "accepted_amount", "rate_amount", "gross_production",
                 "collections", "new_patients", "unscheduled_amount", "ar_91_plus",
                 "claims_over_30"]


def comparison_view(report: Report) -> dict | None:
    """The side-by-side table of practices (None with a single practice)."""
    if not report.comparison:
        return None
    first, total = report.comparison[0], report.comparison[-1]
    return {
        "tiles": [tile_view(t) for t in total.tiles],
        "age_text": total.age_text,
        "labels": [first.tile(k).label for k in COMPARED_KEYS],
        "rows": [{
            "name": s.practice_id if s.practice_id is not None else "All practices",
            "total": s.practice_id is None,
            "cells": [s.tile(k).format(s.tile(k).value) for k in COMPARED_KEYS],
        } for s in report.comparison],
    }


PAPERS = {"a4": "A4", "letter": "letter"}


def render_html(report: Report, images: dict[str | None, dict[str, str]] | None = None,
                paper: str = "letter") -> str:
    """The report as one self-contained HTML document (charts as data: URIs) for A4 or letter."""
    images = images or {}
    template = _environment().get_template("report.html.j2")
    css = (TEMPLATES / "report.css").read_text()
    return template.render(
        css=css,
        paper=PAPERS[paper],
        week=week(report.week_start),
        week_start=report.week_start.isoformat(),
        complete=report.complete,
        as_of=day(report.as_of),
        last_load=load_time(report.last_load),
        generated=load_time(datetime.now(UTC)),
        with_names=report.with_names,
        window_days=report.window_days,
        several=len(report.sections) > 1,
        sections=[section_view(s, images.get(s.practice_id, {})) for s in report.sections],
        comparison=comparison_view(report),
        definitions=report.definitions,
        goal_rule=METRICS["goal_progress"].definition,
        notes=report.notes,
    )


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes with WeasyPrint."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
