"""Tiles say what they show: the acceptance rate's own figures, and the date point-in-time
figures are read on (AppTest on the two-practice sample)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from caseboard import metrics
from caseboard.review import periods, totals
from caseboard.review.format import money, short_day
from tests.weekly_practice import WEEK

APP = Path(__file__).resolve().parents[2] / "dashboard" / "streamlit_app.py"


@pytest.fixture
def app(two_practice_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh AppTest of the router on the two-practice sample, no password."""
    monkeypatch.setenv("CASEBOARD_DB", str(two_practice_db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASEBOARD_DEIDENTIFY", raising=False)
    return AppTest.from_file(str(APP), default_timeout=120)


def _as_of(db: Path):
    with duckdb.connect(str(db), read_only=True) as con:
        return metrics.default_as_of(con)


def test_acceptance_rate_tile_says_what_it_divides(app: AppTest, two_practice_db: Path):
    app.run()
    app.switch_page("app_pages/acceptance.py").run()
    assert not app.exception
    as_of = _as_of(two_practice_db)
    first, last = periods.default_month_range(as_of, 36)
    with duckdb.connect(str(two_practice_db), read_only=True) as con:
        monthly = metrics.query_view(con, "metric_acceptance_monthly", metrics.MetricParams(
            month_from=periods.add_months(first, 24), month_to=last))
    sums = totals.acceptance_totals(monthly)
    expected = (f"{money(sums['mature_accepted_amount'])} accepted of "
                f"{money(sums['mature_diagnosed_amount'])} in the {sums['mature_months']} "
                "mature months")
    assert expected in [c.value for c in app.caption]


def test_point_in_time_tiles_say_their_day(app: AppTest, two_practice_db: Path):
    app.run()
    as_of = _as_of(two_practice_db)
    day = periods.point_in_time(periods.last_complete_week(as_of), as_of)
    notes = [c.value for c in app.caption if c.value.startswith(f"on {short_day(day)} · ")]
    assert len(notes) == 3  # unscheduled treatment, A/R over 90 days, claims over 30 days


def test_no_arrow_when_nothing_changed(one_practice_db: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch):
    """The tiny practice's A/R over 90 days is $0 this week and last: 'no change', not a
    coloured '+$0' arrow; a real change keeps its arrow (unscheduled +$1,200)."""
    monkeypatch.setenv("CASEBOARD_DB", str(one_practice_db))
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    app.selectbox(key="weekly_week").set_value(periods.week_start(WEEK)).run()
    from streamlit.proto.Metric_pb2 import Metric

    tiles = {m.label: m.proto for m in app.metric}
    flat, moved = tiles["A/R over 90 days"], tiles["Unscheduled treatment"]
    assert flat.delta == "no change vs last week"
    assert (flat.direction, flat.color) == (Metric.MetricDirection.NONE, Metric.MetricColor.GRAY)
    assert moved.delta == "+$1,200 vs last week"
    assert moved.direction == Metric.MetricDirection.UP


def test_call_lists_show_dashes_not_none(app: AppTest):
    """Empty cells (no phone, no appointment booked) read '—' / 'none booked', never 'None'."""
    app.run()
    app.switch_page("app_pages/unscheduled.py").run()
    table = next(d.value for d in app.dataframe if "patient" in d.value.columns)
    assert not table.isna().any().any(), "no empty (None) cell"
    assert "practice_id" in table.columns, "all practices: the rows say whose they are"
    booked = table["next_appointment"].tolist()
    assert "none booked" in booked and any(v != "none booked" for v in booked)
