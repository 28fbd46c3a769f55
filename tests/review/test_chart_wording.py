"""What the charts and tiles say: provisional where it is, the rate's own figures, and
'Unassigned' apart from the people."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from caseboard.review import charts, totals


def _months():
    return pl.DataFrame({
        "month": [date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)],
        "diagnosed_count": [10, 10, 5],
        "diagnosed_amount": [Decimal("1000"), Decimal("1000"), Decimal("500")],
        "accepted_count": [6, 7, 1],
        "accepted_amount": [Decimal("600"), Decimal("700"), Decimal("100")],
        "rate_count": [0.6, 0.7, 0.2],
        "rate_amount": [0.6, 0.7, 0.2],
        "mature": [True, True, False],
        "same_day_count": [1, 1, 0],
        "same_day_amount": [Decimal("100"), Decimal("0"), Decimal("0")],
    })


def test_hover_marks_the_accepted_amount_provisional_not_the_diagnosed():
    fig = charts.acceptance_trend_chart(_months(), "month", "amount")
    diagnosed, accepted = fig.data[0], fig.data[1]
    assert "provisional" not in diagnosed.hovertemplate and diagnosed.customdata is None
    assert "%{customdata}" in accepted.hovertemplate
    assert list(accepted.customdata) == ["", "", "provisional"]  # August is not mature


def test_rate_tile_carries_the_figures_it_is_made_of():
    sums = totals.acceptance_totals(_months())
    # all months: diagnosed 1,000 + 1,000 + 500 = 2,500; accepted 600 + 700 + 100 = 1,400
    assert (sums["diagnosed_amount"], sums["accepted_amount"]) == (2500.0, 1400.0)
    # the rate over mature months only: (600 + 700) / (1,000 + 1,000) = 65%
    assert sums["rate_amount"] == 0.65
    assert (sums["mature_accepted_amount"], sums["mature_diagnosed_amount"]) == (1300.0, 2000.0)
    assert sums["mature_accepted_amount"] / sums["mature_diagnosed_amount"] == sums["rate_amount"]


def test_unassigned_presenter_is_apart_and_grey():
    breakdown = pl.DataFrame({
        "dimension": ["presenter"] * 3,
        "label": ["Unassigned", "Dr. Lee", "Dr. Ray"],
        "diagnosed_amount": [9000.0, 5000.0, 3000.0],
        "rate_amount": [0.97, 0.5, 0.6],
    })
    bar = charts.breakdown_chart(breakdown, "presenter").data[0]
    # the largest and best-looking 'presenter' is nobody: it goes last, grey, and says why
    assert list(bar.y) == ["Dr. Lee", "Dr. Ray", "Unassigned (no presenter)"]
    assert list(bar.marker.color) == [charts.BLUE, charts.BLUE, charts.GREY]


def test_threshold_named_in_the_legend_not_written_on_the_line():
    frame = pl.DataFrame({"month": [date(2026, 1, 1), date(2026, 2, 1)],
                          "active_patients": [1540, 1590]})
    fig = charts.active_patients_chart(frame, 1500)
    assert fig.layout.annotations == ()
    assert [t.name for t in fig.data] == ["Active patients", "Coordinator threshold: 1,500"]
    # the axis fits 1,500 .. 1,590, not 0 .. 1,590: padding max(15% of the 90 spread = 13.5,
    # 2% of 1,590 = 31.8) = 31.8
    low, high = fig.layout.yaxis.range
    assert (low, high) == (pytest.approx(1500 - 31.8), pytest.approx(1590 + 31.8))
    rate = charts.collection_rate_chart(pl.DataFrame({"month": [date(2026, 1, 1)],
                                                      "collection_rate": [0.9]}))
    assert rate.layout.annotations == () and rate.data[-1].name == "Benchmark: 98%"


def test_an_almost_empty_practice_gets_words_not_bare_axes():
    zeros = _months().with_columns(pl.lit(Decimal("0")).alias("diagnosed_amount"),
                                   pl.lit(Decimal("0")).alias("accepted_amount"))
    fig = charts.acceptance_trend_chart(zeros, "month", "amount")
    assert fig.data == () and fig.layout.annotations[0].text == charts.NOTHING
    none = pl.DataFrame({"month": [date(2026, 1, 1)], "count": [0]})
    assert charts.new_patients_chart(none).layout.annotations[0].text == charts.NOTHING


def test_provisional_labels_readable_and_only_on_bars():
    frame = _months().with_columns(pl.Series("accepted_amount", [Decimal("600"), Decimal("700"),
                                                                   Decimal("0")]))
    frame = frame.with_columns(pl.Series("mature", [True, False, False]))
    accepted = charts.acceptance_trend_chart(frame, "month", "amount").data[1]
    assert list(accepted.text) == ["", "provisional", ""]  # nothing accepted in August yet
    assert accepted.textfont.size >= 10


def test_month_labels_turned_and_thinned_so_they_never_overlap():
    months = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(10, 34)]  # Nov 2024..Oct 2026
    frame = pl.DataFrame({"month": months, "count": list(range(1, 25))})
    axis = charts.new_patients_chart(frame).layout.xaxis
    assert axis.tickangle == -45
    # 24 months: every other label, counted back from the newest so it is always written
    assert list(axis.tickvals) == [charts.month(m) for m in months[1::2]]
    assert axis.tickvals[-1] == "Oct 2026"
    few = charts.new_patients_chart(frame.head(5)).layout.xaxis
    assert few.tickangle is None and few.tickvals is None  # 5 labels fit as they are
