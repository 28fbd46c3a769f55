"""Chart builders on tiny frames: provisional periods, money axes, reference lines, order."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from caseboard.review import charts


def _acceptance():
    return pl.DataFrame({
        "month": [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)],
        "diagnosed_count": [10, 8, 4],
        "diagnosed_amount": [Decimal("10000"), Decimal("8000"), Decimal("4000")],
        "accepted_count": [5, 2, 1],
        "accepted_amount": [Decimal("6000"), Decimal("2000"), Decimal("500")],
        "rate_count": [0.5, 0.25, 0.25],
        "rate_amount": [0.6, 0.25, 0.125],
        "mature": [True, False, False],
        "same_day_count": [1, 0, 1],
        "same_day_amount": [Decimal("2500"), Decimal("0"), Decimal("1000")],
    })


def test_acceptance_trend_marks_immature_months_provisional():
    fig = charts.acceptance_trend_chart(_acceptance(), "month", "amount")
    diagnosed, accepted, rate, provisional = fig.data
    assert list(diagnosed.x) == ["Jul 2026", "Aug 2026", "Sep 2026"]
    assert list(diagnosed.y) == [10000.0, 8000.0, 4000.0]
    # only July is mature: full colour for it, the light colour for August and September
    assert list(diagnosed.marker.color) == [charts.BLUE, charts.LIGHT_BLUE, charts.LIGHT_BLUE]
    assert list(accepted.text) == ["", "provisional", "provisional"]
    # the solid rate line stops at July; the dashed one starts there so the line is unbroken
    assert list(rate.y) == [0.6, None, None]
    assert list(provisional.y) == [0.6, 0.25, 0.125]
    assert provisional.line.dash == "dash"
    assert fig.layout.yaxis.tickformat == "$,.0f"
    assert fig.layout.yaxis2.tickformat == ".0%"


def test_acceptance_trend_all_mature_has_no_provisional_line():
    frame = _acceptance().with_columns(pl.lit(True).alias("mature"))
    fig = charts.acceptance_trend_chart(frame, "month", "count")
    assert [trace.name for trace in fig.data] == ["Diagnosed", "Accepted", "Acceptance rate"]
    assert list(fig.data[0].y) == [10.0, 8.0, 4.0]
    assert fig.layout.yaxis.tickformat == ",d"


def test_same_day_share_is_same_day_over_diagnosed():
    fig = charts.same_day_chart(_acceptance())
    # 2,500 / 10,000 = 0.25; 0 / 8,000 = 0; 1,000 / 4,000 = 0.25
    assert list(fig.data[0].y) == [0.25, 0.0, 0.25]


def test_collection_rate_has_98_percent_reference():
    frame = pl.DataFrame({"month": [date(2026, 1, 1), date(2026, 2, 1)],
                          "collection_rate": [0.9, None]})
    fig = charts.collection_rate_chart(frame)
    assert list(fig.data[0].y) == [0.9, None]
    lines = [shape for shape in fig.layout.shapes if shape.type == "line"]
    assert len(lines) == 1 and lines[0].y0 == pytest.approx(0.98) == lines[0].y1


def test_production_chart_money_axis():
    frame = pl.DataFrame({"month": [date(2026, 1, 1)], "gross_production": [Decimal("1200")],
                          "adjustments": [Decimal("-200")], "net_production": [Decimal("1000")],
                          "collections": [Decimal("900")]})
    fig = charts.production_chart(frame)
    assert [t.name for t in fig.data] == ["Gross production", "Adjustments", "Net production",
                                          "Collections"]
    assert [t.y[0] for t in fig.data] == [1200.0, -200.0, 1000.0, 900.0]
    assert fig.layout.yaxis.tickformat == "$,.0f"


def test_unscheduled_aging_in_bucket_order():
    frame = pl.DataFrame({"bucket": ["91-180", "0-30", "31-90"], "sort_order": [3, 1, 2],
                          "amount": [Decimal("300"), Decimal("100"), Decimal("200")],
                          "procedure_count": [3, 1, 2]})
    fig = charts.unscheduled_aging_chart(frame)
    assert list(fig.data[0].x) == ["0-30 days", "31-90 days", "91-180 days"]
    assert list(fig.data[0].text) == ["$100", "$200", "$300"]


def test_time_to_acceptance_keeps_recent_cohorts_with_treatment():
    months = [date(2026, m, 1) for m in range(1, 9)]
    rows = [(m, d, 0.0 if m.month == 8 else 1000.0, 0.1 * d / 90) for m in months
            for d in (0, 7, 14, 30, 60, 90)]
    frame = pl.DataFrame(rows, schema=["month", "days", "diagnosed_amount", "share_amount"],
                         orient="row")
    fig = charts.time_to_acceptance_chart(frame, max_cohorts=3)
    # August has nothing diagnosed: the 3 newest cohorts with treatment are May, June, July
    assert [t.name for t in fig.data] == ["May 2026", "Jun 2026", "Jul 2026"]
    assert list(fig.data[0].x) == [0, 7, 14, 30, 60, 90]


def test_time_to_acceptance_hides_day_marks_not_reached():
    frame = pl.DataFrame({"month": [date(2026, 9, 1)] * 6 + [date(2026, 10, 1)] * 6,
                          "days": [0, 7, 14, 30, 60, 90] * 2,
                          "diagnosed_amount": [500.0] * 12,
                          "share_amount": [0.1, 0.2, 0.3, 0.4, 0.4, 0.4] * 2})
    fig = charts.time_to_acceptance_chart(frame, as_of=date(2026, 10, 31))
    # September ends Sep 30: +30 days = Oct 30 <= Oct 31, +60 days is not; October ends on A
    assert [(t.name, list(t.x)) for t in fig.data] == [("Sep 2026", [0, 7, 14, 30]),
                                                      ("Oct 2026", [0])]


def test_case_sizes_in_size_order():
    frame = pl.DataFrame({
        "dimension": ["case_size"] * 4 + ["provider"],
        "label": [">= $5,000", "< $500", "$2,000-4,999", "$500-1,999", "Dr. Lee"],
        "diagnosed_amount": [9000.0, 100.0, 3000.0, 800.0, 5.0],
        "rate_amount": [0.1, 0.9, 0.3, 0.5, 1.0],
    })
    fig = charts.breakdown_chart(frame, "case_size")
    assert list(fig.data[0].y) == ["< $500", "$500-1,999", "$2,000-4,999", ">= $5,000"]
    assert list(fig.data[0].x) == [0.9, 0.5, 0.3, 0.1]


def test_ar_aging_and_empty_states():
    row = {"ar_0_30": Decimal("50"), "ar_31_60": None, "ar_61_90": 0, "ar_91_plus": Decimal("25")}
    fig = charts.aging_chart(row, charts.AR_BUCKETS, "A/R")
    assert list(fig.data[0].y) == [50.0, 0.0, 0.0, 25.0]
    empty = charts.aging_chart({}, charts.CLAIM_BUCKETS, "Claims")
    assert empty.data == () and empty.layout.annotations[0].text == "Nothing outstanding"
    nothing = charts.new_patients_chart(pl.DataFrame(schema={"month": pl.Date, "count": pl.Int64}))
    assert nothing.layout.annotations[0].text == "No patients in this range"


def test_readiness_practices_chart_bars_each_practice_against_the_threshold():
    from caseboard.review.charts import GREEN, LIGHT_BLUE, readiness_practices_chart

    frame = pl.DataFrame({"practice_id": ["P1", "P2"], "active_patients": [1600, 900]})
    fig = readiness_practices_chart(frame, "active_patients", "Active patients", 1500)
    bar = fig.data[0]
    # one bar per practice, never their sum (2,500); 1,600 >= 1,500 green, 900 not
    assert list(bar.y) == ["P1", "P2"] and list(bar.x) == [1600, 900]
    assert list(bar.marker.color) == [GREEN, LIGHT_BLUE]
    assert fig.layout.shapes[0].x0 == 1500
