"""Small shared widgets: tiles and definitions taken from the registry."""

from __future__ import annotations

import streamlit as st

from caseboard.review.format import (
    MISSING,
    NO_CHANGE,
    TABLE_DATE,
    TABLE_MONEY,
    count,
    day,
    day_time,
    is_flat,
    text,
)
from caseboard.review.registry import METRICS


def tile(key: str, value: float | int | None, delta: float | int | None = None,
         delta_label: str | None = None, label: str | None = None, note: str | None = None) -> None:
    """A metric tile with its registry label, format and definition on hover."""
    item = METRICS[key]
    flat = delta is not None and is_flat(item.kind, delta)
    shown = NO_CHANGE if flat else item.format_delta(delta)
    if delta is None and delta_label:  # keep the tile's height: its row says there is none
        shown, flat = MISSING, True
    if shown is not None and delta_label:
        shown = f"{shown} {delta_label}"
    color = "off" if flat else "normal" if item.higher_is_better else "inverse"
    with st.container(border=True):
        st.metric(label or item.label, item.format(value), shown, help=item.definition,
                  delta_color=color, delta_arrow="off" if flat else "auto")
        if note:
            st.caption(note)


def plain_tile(label: str, shown: str, note: str | None = None) -> None:
    """A tile for a figure outside the registry, framed like ``tile`` so a row lines up."""
    with st.container(border=True):
        st.metric(label, shown)
        if note:
            st.caption(note)


def definitions(*keys: str) -> None:
    """A popover listing the plain-words definitions of several metrics."""
    with st.popover("Definitions", icon=":material/help:"):
        for key in keys:
            item = METRICS[key]
            st.markdown(f"**{item.label}**: {item.definition}")


def missing(message: str | None) -> bool:
    """Show an optional-table message if there is one; True when it was shown."""
    if message:
        st.info(message, icon=":material/upload_file:")
        return True
    return False


def money_column(label: str):
    """A table column of whole dollars, as the tiles show them."""
    return st.column_config.NumberColumn(label, **TABLE_MONEY)


def date_column(label: str):
    """A table column of dates written as everywhere else ('Feb 6, 2024')."""
    return st.column_config.DateColumn(label, format=TABLE_DATE)


def practice_column(filters) -> list[str]:
    """['practice_id'] when all practices are shown together (rows would mix them), else []."""
    return ["practice_id"] if filters.compare else []


def worklist_view(frame):
    """Call-list rows for display: '—' and 'none booked' instead of empty cells ('None')."""
    import polars as pl

    texts = {
        "next_appointment": lambda v: day_time(v, "none booked"),
        "last_visit_date": day,
        "last_contact_date": day,
        "next_contact_date": day,
        **{c: text for c in ("phone", "providers", "treatment", "codes", "patient",
                             "last_outcome")},
    }
    return frame.with_columns(
        pl.col(c).map_elements(f, return_dtype=pl.Utf8, skip_nulls=False).alias(c)
        for c, f in texts.items() if c in frame.columns
    )


def worklist_columns(treatment_width: str = "medium") -> dict:
    """Column labels and formats of the unscheduled-treatment call list (the treatment
    column 'large' where the table has room for it)."""
    return {
        "practice_id": "Practice", "patient": "Patient", "phone": "Phone",
        "amount": money_column("Amount"),
        "procedure_count": "Procedures", "codes": "Codes", "providers": "Providers",
        "treatment": st.column_config.TextColumn(
            "Treatment", width=treatment_width,
            help="The export's descriptions (else the code and its CDT category); the whole "
                 "list shows when the cell is opened."),
        "oldest_diagnosed_date": date_column("Oldest diagnosis"),
        "last_visit_date": "Last visit", "next_appointment": "Next appointment",
    }


def unassigned_note(health, check_name: str, words: str) -> None:
    """Under a breakdown: how many rows the 'Unassigned' bar stands for, and where to fix them."""
    if health is None:
        return
    rows = [r for r in health.iter_rows(named=True) if r["check_name"] == check_name]
    if not rows or not rows[0]["row_count"]:
        return
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(f"**Unassigned** (grey, apart): {count(rows[0]['row_count'])} {words}.")
    right.page_link("app_pages/data_page.py", label="Data health", icon=":material/database:")


def plot(fig, key: str) -> None:
    """Draw a Plotly figure full width."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False})
