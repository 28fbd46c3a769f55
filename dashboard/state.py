"""Shared sidebar filters: set once by the router, read by every page."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import streamlit as st

from caseboard.metrics import MetricParams, default_params
from caseboard.review import periods
from caseboard.review.format import day, month
from caseboard.settings import load_settings
from dashboard import data

ALL_PRACTICES = "All practices"
FILTERS_KEY = "caseboard_filters"


@dataclass(frozen=True)
class Filters:
    """What the sidebar selected."""

    overview: data.Overview | None
    practice_id: str | None
    compare: bool
    as_of: date | None
    month_from: date | None
    month_to: date | None
    window_days: int
    all_codes: bool
    deidentify: bool

    def params(self, **changes: object) -> MetricParams:
        """Metric parameters for these filters, with optional changes; the settings'
        defaults (readiness thresholds, coordinator cost, ...) filled in, so a cached result
        follows a changed setting."""
        base = default_params(
            as_of=self.as_of, window_days=self.window_days, all_codes=self.all_codes,
            practice_id=self.practice_id, month_from=self.month_from, month_to=self.month_to,
        )
        return base.but(**changes) if changes else base

    @property
    def practices(self) -> list[str]:
        """The practice ids loaded."""
        if self.overview is None:
            return []
        return sorted(set(self.overview.practices["practice_id"].to_list()))


def _default_deidentify() -> bool:
    return os.environ.get("CASEBOARD_DEIDENTIFY", "") in {"1", "true", "yes"}


def sidebar_filters() -> Filters:
    """Draw the shared sidebar filters and remember them for the pages."""
    settings = load_settings()
    st.session_state.setdefault("deidentify", _default_deidentify())
    overview = data.load_overview()
    practices = [] if overview is None else sorted(set(overview.practices["practice_id"].to_list()))
    with st.sidebar:
        practice_id = None
        if len(practices) > 1:
            labels = overview.practice_labels
            choice = st.selectbox("Practice", [ALL_PRACTICES, *practices], key="practice",
                                  format_func=lambda p: labels.get(p, p),
                                  help="'All practices' adds every practice together and "
                                       "compares them side by side.")
            practice_id = None if choice == ALL_PRACTICES else choice
        elif practices:
            st.caption(f"Practice: **{overview.practice_labels.get(practices[0], practices[0])}**")
        as_of = overview.as_of if overview else None
        month_from = month_to = None
        if as_of is not None:
            first, last = periods.default_month_range(as_of, 36)
            months = [periods.add_months(first, i) for i in range(36)]
            month_from, month_to = st.select_slider(
                "Months shown", options=months, value=(months[-12], last), key="months",
                format_func=month,
            )
        window = st.number_input("Acceptance window (days)", min_value=1, max_value=730,
                                 value=settings.window_days, step=15, key="window_days",
                                 help="Treatment counts as accepted when it is scheduled or "
                                      "done within this many days of diagnosis.")
        all_codes = st.toggle("Include diagnostic & preventive codes", key="all_codes",
                              help="Adds D0/D1 codes and missed-appointment codes "
                                   "(D9986, D9987) to acceptance figures.")
        deidentify = st.toggle("De-identify patients", key="deidentify",
                               help="Show initials and masked phone numbers everywhere, "
                                    "downloads included.")
        if as_of is not None:
            st.caption(f"Data as of **{day(as_of)}** (newest event loaded).")
    filters = Filters(overview, practice_id, practice_id is None and len(practices) > 1, as_of,
                      month_from, month_to, int(window), bool(all_codes), bool(deidentify))
    st.session_state[FILTERS_KEY] = filters
    return filters


def current() -> Filters:
    """The filters the router set for this run."""
    return st.session_state[FILTERS_KEY]


def require_data() -> Filters:
    """The filters, or an empty state telling what to load (and stop the page)."""
    filters = current()
    if filters.overview is None or filters.as_of is None:
        st.info(
            "Nothing is loaded yet. Run `caseboard ingest PATH` on a practice export "
            "(or `caseboard sample` for a demo), or upload an export on the **Data** page."
        )
        st.stop()
    return filters
