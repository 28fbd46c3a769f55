"""One format module for every front-end: its functions, and a guard that nobody formats a
date or an amount by hand in the pages, the PDF, the charts or the CLI text."""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest

from caseboard.review import format as fmt
from caseboard.settings import ROOT


def test_money_whole_dollars_or_cents():
    assert fmt.money(12345.6) == "$12,346"
    assert fmt.money(12345.6, cents=True) == "$12,345.60"
    assert fmt.money(-50) == "-$50"
    assert fmt.money(-150.25, cents=True) == "-$150.25"
    assert fmt.money(None) == fmt.money(float("nan")) == "—"


def test_counts_rates_and_missing():
    assert fmt.count(1589) == "1,589"
    assert fmt.count(52.0) == "52"
    assert fmt.count(None) == "—"
    assert fmt.percent(0.629) == "62.9%"
    assert fmt.percent(0.98, 0) == "98%"
    assert fmt.text(None) == fmt.text("") == "—"
    assert fmt.text("D2740") == "D2740"


def test_dates_weeks_and_months():
    assert fmt.day(date(2024, 2, 6)) == "Feb 6, 2024"
    assert fmt.day(None) == "—"
    assert fmt.week(date(2026, 10, 19)) == "Mon Oct 19 – Sun Oct 25, 2026"
    # a week across New Year is named by its Sunday's year
    assert fmt.week(date(2026, 12, 28)) == "Mon Dec 28 – Sun Jan 3, 2027"
    assert fmt.week_label(date(2026, 10, 5)) == "Oct 5"
    assert fmt.month(date(2026, 10, 1)) == "Oct 2026"


@pytest.fixture
def new_york(monkeypatch):
    """This computer's time zone set to New York for the test."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_load_time_in_local_time_with_its_zone(new_york):
    """Loads are stored in UTC: 23:27 UTC on Dec 7 is 6:27 PM EST (UTC-5)."""
    assert fmt.load_time(datetime(2026, 12, 7, 23, 27)) == "Dec 7, 2026, 6:27 PM EST"
    # 14:05 UTC on Jul 1 is 10:05 AM EDT (UTC-4)
    assert fmt.load_time(datetime(2026, 7, 1, 14, 5)) == "Jul 1, 2026, 10:05 AM EDT"
    assert fmt.load_time(None) == "never"


# Where display text is made: the pages and their widgets, the charts, the report and the
# CLI's text. payback.py's readiness sentence is issue 14's to rewrite.
GUARDED = [
    *sorted((ROOT / "dashboard").rglob("*.py")),
    *sorted(p for p in (ROOT / "caseboard" / "review").glob("*.py")
            if p.name not in {"format.py", "payback.py"}),
    *sorted((ROOT / "caseboard" / "report").glob("*.py")),
    ROOT / "caseboard" / "commands" / "metrics.py",
    ROOT / "caseboard" / "commands" / "report.py",
]
BY_HAND = [
    (re.compile(r"\.strftime\("), "strftime"),
    (re.compile(r"\{[^{}]*:%[^{}]*\}"), "a date format in an f-string"),
    (re.compile(r"\{[^{}]*:\+?,[^{}]*\}"), "thousands separators by hand"),
    (re.compile(r"\{[^{}]*:\+?\.\d+%[^{}]*\}"), "a percentage by hand"),
    (re.compile(r"[\"']\$\{"), "a dollar sign by hand"),
    (re.compile(r"format=\"(dollar|MMM[^\"]*)\""), "a table column format by hand"),
]
PLOTLY_PLACEHOLDER = re.compile(r"%\{[^}]*\}")  # "%{y:$,.0f}" is Plotly's, drawn in the browser


def hand_formatting(text: str) -> list[str]:
    """What in ``text`` formats a date or an amount by hand."""
    text = PLOTLY_PLACEHOLDER.sub("", text)
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what in BY_HAND:
            if pattern.search(line):
                found.append(f"line {number}: {what}: {line.strip()}")
    return found


def test_the_guard_catches_hand_formatting():
    """The guard itself: each way of formatting by hand is caught, Plotly's are not."""
    caught = [
        'st.caption(f"As of {filters.as_of:%b %d, %Y}.")',
        'label = d.strftime("%b %Y")',
        'st.metric("Claims", f"{n:,}")',
        'text = f"{v:,.2f}"',
        'text = f"{rate:.1%}"',
        'text = f"${value}"',
        'st.column_config.NumberColumn("Amount", format="dollar")',
    ]
    for line in caught:
        assert hand_formatting(line), line
    assert hand_formatting('hovertemplate="%{y:$,.0f}<extra>Accepted</extra>"') == []
    assert hand_formatting('st.caption(f"As of {day(filters.as_of)}.")') == []


@pytest.mark.parametrize("path", GUARDED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_formats_a_date_or_amount_by_hand(path: Path):
    """Dates, weeks, amounts and counts go through caseboard/review/format.py."""
    assert hand_formatting(path.read_text()) == []


def test_guard_covers_every_page():
    pages = {p.name for p in GUARDED if p.parent.name == "app_pages"}
    assert pages == {p.name for p in (ROOT / "dashboard" / "app_pages").glob("*.py")}
    assert os.path.basename(fmt.__file__) == "format.py"
