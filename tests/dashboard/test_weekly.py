"""Weekly review figures: one week, the week before, the 4-week average; week helpers."""

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest

from caseboard.metrics import MetricParams
from caseboard.report import read_report
from caseboard.review import periods, weekly
from caseboard.storage import read_connection
from dashboard import data
from tests import weekly_practice as tiny

MONDAY = date(2026, 10, 19)
WEEKS = [MONDAY - timedelta(days=7 * i) for i in range(5)]  # Oct 19, 12, 5, Sep 28, Sep 21


def _frames():
    acceptance = pl.DataFrame({
        "week_start": WEEKS,
        "diagnosed_amount": [Decimal(v) for v in ("1000", "2000", "3000", "4000", "6000")],
        "accepted_amount": [Decimal(v) for v in ("500", "1000", "1500", "1000", "1500")],
    })
    production = pl.DataFrame({
        "week_start": WEEKS,
        "gross_production": [Decimal(v) for v in ("800", "900", "1000", "1100", "1200")],
        "collections": [Decimal(v) for v in ("700", "0", "100", "200", "300")],
    })
    new_patients = pl.DataFrame({"week_start": WEEKS, "count": [3, 1, 2, 0, 5]})
    return acceptance, production, new_patients


def test_one_week():
    values = weekly.flow_values(*_frames(), [MONDAY])
    assert values == {"diagnosed_amount": 1000.0, "accepted_amount": 500.0, "rate_amount": 0.5,
                      "gross_production": 800.0, "collections": 700.0, "new_patients": 3.0}


def test_four_week_average_pools_the_rate():
    points = [{"unscheduled_amount": 100.0, "ar_91_plus": 10.0, "claims_over_30": None},
              {"unscheduled_amount": 300.0, "ar_91_plus": 30.0, "claims_over_30": 40.0}]
    average = weekly.four_week_average(*_frames(), MONDAY, points)
    # weeks Oct 12 .. Sep 21: diagnosed (2000+3000+4000+6000)/4 = 3750
    assert average["diagnosed_amount"] == pytest.approx(3750)
    # accepted (1000+1500+1000+1500)/4 = 1250; rate pooled 5000/15000 = 0.3333 (not the
    # mean of the weekly rates, 0.5/0.5/0.25/0.25 -> 0.375)
    assert average["accepted_amount"] == pytest.approx(1250)
    assert average["rate_amount"] == pytest.approx(5000 / 15000)
    assert average["collections"] == pytest.approx((0 + 100 + 200 + 300) / 4)
    assert average["new_patients"] == pytest.approx((1 + 2 + 0 + 5) / 4)
    # point-in-time values: plain mean, missing values skipped
    assert average["unscheduled_amount"] == 200.0
    assert average["claims_over_30"] == 40.0


def test_point_values_from_one_row_views():
    unscheduled = pl.DataFrame({"total_amount": [Decimal("1234.5")]})
    ar = pl.DataFrame({"ar_91_plus": [Decimal("99")]})
    claims = pl.DataFrame({"aging_0_30": [Decimal("1")], "aging_31_60": [Decimal("10")],
                           "aging_61_90": [Decimal("20")], "aging_91_plus": [None]})
    # claims over 30 days = 10 + 20 + 0
    assert weekly.point_values(unscheduled, ar, claims) == {
        "unscheduled_amount": 1234.5, "ar_91_plus": 99.0, "claims_over_30": 30.0}
    assert weekly.point_values(None, ar, None)["unscheduled_amount"] is None


def test_week_pickers():
    # 2026-10-31 is a Saturday: its week (Oct 26 - Nov 1) is not complete yet
    assert periods.last_complete_week(date(2026, 10, 31)) == date(2026, 10, 19)
    # a Sunday completes its own week
    assert periods.last_complete_week(date(2026, 10, 25)) == date(2026, 10, 19)
    # the point-in-time date is the week's Sunday, capped at A
    assert periods.point_in_time(date(2026, 10, 26), date(2026, 10, 31)) == date(2026, 10, 31)
    assert periods.point_in_time(date(2026, 10, 19), date(2026, 10, 31)) == date(2026, 10, 25)
    assert periods.default_month_range(date(2026, 3, 15), 12) == (date(2025, 4, 1),
                                                                   date(2026, 3, 1))
    # Nov 2025 .. Oct 2026 capped at A = Oct 31 (Sat): last week starts Oct 26; 26 weeks back
    assert periods.week_range(date(2025, 11, 1), date(2026, 10, 1), date(2026, 10, 31)) == (
        date(2026, 5, 4), date(2026, 10, 26))


def _approx(figures: dict[str, float | None], expected: dict[str, float]) -> None:
    for key, value in expected.items():
        assert figures[key] == pytest.approx(value), key


def test_read_week_on_the_hand_built_practice(one_practice_db):
    """read_week gives the hand-worked figures of tests/weekly_practice.py (arithmetic there)."""
    with read_connection(one_practice_db) as con:
        week = weekly.read_week(con, MetricParams(), tiny.MONDAY)
    _approx(week.this_week(), tiny.THIS_WEEK)
    _approx(week.last_week(), tiny.LAST_WEEK)
    _approx(week.average(), tiny.AVERAGE)
    # the trend: 13 weeks, Mon 10-05 back 12 weeks (84 days) = Mon 07-13
    assert week.acceptance["week_start"].to_list() == [
        date(2026, 7, 13) + timedelta(weeks=i) for i in range(13)]
    assert week.immature  # Sun 10-11 + 90 days is after A = 10-30
    # unscheduled on Sun 10-11: Robert (X2 1000 + X3 200 = 1200) and Maria (X4 3000)
    assert week.unscheduled_patients == 2
    owed = week.largest_cases.filter(pl.col("amount") > 0).sort("amount")
    assert [float(a) for a in owed["amount"]] == [1200.0, 3000.0]
    assert float(week.aging["amount"].sum()) == 4200.0
    # the breakdown this Sunday sums to 4200; last Sunday (10-04) only X4 3000 was unscheduled
    assert float(week.breakdown_this["amount"].sum()) == 4200.0
    assert float(week.breakdown_last["amount"].sum()) == 3000.0
    # goals as of Sun 10-11: accepted X1 1200 of 2000; new patients Alice 1 of 1
    goals = {g["metric"]: float(g["actual"]) for g in week.goals.iter_rows(named=True)}
    assert goals == {"accepted_amount": 1200.0, "new_patients": 1.0}


def test_tiles_only_reads_no_detail(one_practice_db):
    """The side-by-side comparison reads the tiles (same figures) and none of the lists."""
    with read_connection(one_practice_db) as con:
        week = weekly.read_week(con, MetricParams(), tiny.MONDAY, tiles_only=True)
    _approx(week.this_week(), tiny.THIS_WEEK)
    assert (week.largest_cases, week.goals, week.breakdown_this, week.aging) == (None,) * 4


def test_week_without_history_reads_only_that_week(one_practice_db):
    """The side-by-side table reads one week: the same this-week figures, nothing before."""
    with read_connection(one_practice_db) as con:
        week = weekly.read_week(con, MetricParams(), tiny.MONDAY, history=False)
    _approx(week.this_week(), tiny.THIS_WEEK)
    assert week.acceptance["week_start"].to_list() == [tiny.MONDAY]
    assert len(week.points) == 1
    with pytest.raises(ValueError, match="history"):
        week.last_week()


def test_points_of_the_week_holding_a_are_read_at_a(one_practice_db):
    """Week Mon 10-26 .. Sun 11-01 holds A = Fri 10-30: its point-in-time figures are read
    on 10-30, when X3 (200) is scheduled, leaving X2 1000 + X4 3000 = 4000 unscheduled."""
    with read_connection(one_practice_db) as con:
        week = weekly.read_week(con, MetricParams(), date(2026, 10, 26), tiles_only=True)
    assert week.this_week()["unscheduled_amount"] == 4000.0


def test_dashboard_and_report_read_the_same_week(one_practice_db, monkeypatch):
    """The page's cached load_week and the report's tiles are one read: same numbers."""
    monkeypatch.setenv("CASEBOARD_DB", str(one_practice_db))
    shown = data.load_week(MetricParams(), tiny.MONDAY)
    report = read_report(one_practice_db, tiny.WEEK).sections[0]
    this, last, average = shown.this_week(), shown.last_week(), shown.average()
    for tile in report.tiles:
        assert (tile.value, tile.last_week, tile.average) == (
            this[tile.key], last[tile.key], average[tile.key]), tile.key
    _approx(this, tiny.THIS_WEEK)

