"""The trend, the month a threshold is crossed and the workload sentence, worked by hand."""

from datetime import date

import pytest

from caseboard.review import readiness as rd
from caseboard.review.periods import add_months

MONTHS = [add_months(date(2024, 10, 1), i) for i in range(24)]


def test_growing_by_twenty_a_month_crosses_when_the_arithmetic_says():
    # 1,000, 1,020, ... 1,460: y = 1000 + 20 x; 1,500 at x = 25 -> Oct 2024 + 25 months
    values = [1000 + 20 * i for i in range(24)]
    trend = rd.fit_trend(MONTHS, values)
    assert (trend.slope, trend.intercept, trend.r2) == pytest.approx((20, 1000, 1))
    crossed = rd.crossing(trend, 1480, 1500)
    assert (crossed.kind, crossed.month) == ("month", date(2026, 11, 1))
    text = rd.crossing_sentence("Active patients", trend, crossed, 1500)
    assert text == ("Active patients: reaches 1,500 about Nov 2026 at this trend "
                    "(+20 a month over the last 24 months).")


def test_already_above_and_not_within_24_months():
    values = [1000 + 20 * i for i in range(24)]
    trend = rd.fit_trend(MONTHS, values)
    assert rd.crossing(trend, 1500, 1500).kind == "above"
    # at +20 a month the line is 1,000 + 20 x 47 = 1,940 at the horizon's last month (x = 47)
    assert rd.crossing(trend, 1480, 1941).kind == "not within"
    assert rd.crossing(trend, 1480, 1940).month == date(2028, 9, 1)  # Oct 2024 + 47
    flat = rd.fit_trend(MONTHS, [50.0] * 24)
    assert flat.slope == 0 and flat.r2 is None
    assert "not within 24 months at this trend" in rd.crossing_sentence(
        "New patients a month", flat, rd.crossing(flat, 50.0, 60), 60)


def test_leading_empty_months_are_left_out_and_short_history_has_no_trend():
    # 18 empty months then 6 months 10, 12, ... 20: the line starts at the first data month
    values = [0] * 18 + [10, 12, 14, 16, 18, 20]
    trend = rd.fit_trend(MONTHS, values)
    assert trend.first_month == MONTHS[18] and trend.n == 6
    assert (trend.slope, trend.intercept) == pytest.approx((2, 10))
    assert rd.fit_trend(MONTHS, [0] * 19 + [1, 2, 3, 4, 5]) is None
    assert rd.crossing(None, 5, 50).kind == "no trend"


def test_uncertainty_gives_a_range():
    # alternating +-10 around y = 100 + 5 x: the slope is uncertain, so a range is given
    values = [100 + 5 * i + (10 if i % 2 else -10) for i in range(24)]
    trend = rd.fit_trend(MONTHS, values)
    crossed = rd.crossing(trend, 200, 260)
    assert crossed.earliest <= crossed.month <= crossed.latest
    assert crossed.earliest < crossed.latest
    assert "anywhere from" in rd.crossing_sentence("x", trend, crossed, 260)


def test_months_to_full_time():
    # new patients y = 20 + 1 x over 24 months: level at x = 24 is 44, +1 a month.
    trend = rd.fit_trend(MONTHS, [20 + i for i in range(24)])
    # 22 hours now: 40 / 22 - 1 = 0.8182 growth needed; 0.8182 x 44 / 1 = 36 months
    assert rd.months_to_full_time(22, trend) == 36
    # 30 hours: (40 / 30 - 1) x 44 = 14.67 -> 15 months
    assert rd.months_to_full_time(30, trend) == 15
    assert rd.months_to_full_time(41, trend) == 0
    assert rd.months_to_full_time(22, rd.fit_trend(MONTHS, [30.0] * 24)) is None
    work = rd.Workload(12, 1, 1, 1, 30)
    assert rd.workload_sentence(work, 15) == (
        "About 30 hours a week: part-time now, full-time at this growth in about 15 months.")
    assert "more than 24 months away" in rd.workload_sentence(rd.Workload(12, 1, 1, 1, 22), 36)
    assert "a full-time job now" in rd.workload_sentence(rd.Workload(12, 1, 1, 1, 41), 0)


def test_already_above_but_falling_says_when_it_drops_below():
    # 80, 79, ... 57: y = 80 - x; below 50 when 80 - x < 50, x = 31 -> Oct 2024 + 31 = May 2027
    trend = rd.fit_trend(MONTHS, [80 - i for i in range(24)])
    text = rd.crossing_sentence("New patients a month", trend, rd.crossing(trend, 56, 50), 50)
    assert text == ("New patients a month: already above 50. But the trend is falling (-1 a "
                    "month over the last 24 months): at this trend it drops below about May "
                    "2027.")


def _period(period, size, cases, diagnosed, accepted, months=6):
    return {"period": period, "case_size": size, "months_counted": months,
            "case_count": cases, "rate_amount": None if not diagnosed else accepted / diagnosed,
            "rate_count": None if not diagnosed else 0.5}


def test_before_after_table_and_sentence():
    rows = [_period("before", "< $500", 40, 4000, 2000), _period("before", "All cases", 40,
                                                                 4000, 2000),
            _period("after", "< $500", 5, 1000, 800), _period("after", "All cases", 5, 1000,
                                                               800)]
    # before 2,000 / 4,000 = 50.0%; after 800 / 1,000 = 80.0%: +30.0 points; 5 cases < 10
    assert rd.before_after_table(rows)[0] == {
        "Case size": "< $500", "Before": "50.0% of fees · 50.0% of procedures",
        "Cases before": "40", "After": "80.0% of fees · 50.0% of procedures",
        "Cases after": "5", "Change by fees": "+30.0 pts (few cases)"}
    assert rd.before_after_sentence(rows) == (
        "Acceptance by fees went from 50.0% to 80.0% (+30.0 pts), from 40 cases before and 5 "
        "after.")
    waiting = [{**r, "months_counted": 0} if r["period"] == "after" else r for r in rows]
    assert rd.before_after_sentence(waiting).startswith("No month since the start is mature")
