"""'What changed' sentences from two weeks of figures, checked by hand."""

import polars as pl

from caseboard.review.changes import category_words, main_contributor, metric_sentence, what_changed


def _breakdown(rows):
    return pl.DataFrame(rows, schema={"category": pl.Utf8, "provider_name": pl.Utf8,
                                      "amount": pl.Float64}, orient="row")


def test_unscheduled_rise_names_main_contributor():
    last = _breakdown([("Restorative", "Dr. Lee", 10_000.0), ("Endodontics", "Dr. Kim", 5_000.0)])
    this = _breakdown([("Restorative", "Dr. Lee", 19_800.0), ("Endodontics", "Dr. Kim", 7_600.0),
                       ("Oral surgery", None, 0.0)])
    # total 15,000 -> 27,400: +12,400; Dr. Lee's restorative +9,800 is more than half of it
    lines = what_changed({"unscheduled_amount": 27_400.0}, {"unscheduled_amount": 15_000.0},
                         this, last)
    assert lines == ["Unscheduled treatment rose by $12,400 to $27,400, mostly restorative "
                     "treatment diagnosed by Dr. Lee."]


def test_contributor_missing_last_week_counts_from_zero():
    last = _breakdown([("Restorative", "Dr. Lee", 1_000.0)])
    this = _breakdown([("Restorative", "Dr. Lee", 1_000.0), ("D6", "Dr. Kim", 4_000.0)])
    assert main_contributor(this, last) == ("D6", "Dr. Kim", 4_000.0)
    assert category_words("D6") == "implants and fixed prosthodontics"


def test_small_or_missing_changes_are_left_out():
    # collections 10,000 -> 10,300 is 3% (< 5%): left out; production None: left out
    assert metric_sentence("collections", 10_300.0, 10_000.0) is None
    assert metric_sentence("gross_production", None, 5_000.0) is None
    # a rate moving 0.5 points is noise
    assert metric_sentence("rate_amount", 0.505, 0.50) is None


def test_sentences_ordered_by_relative_size():
    this = {"diagnosed_amount": 30_000.0, "collections": 9_000.0, "rate_amount": 0.40,
            "new_patients": 12.0, "unscheduled_amount": 5_000.0}
    last = {"diagnosed_amount": 20_000.0, "collections": 12_000.0, "rate_amount": 0.55,
            "new_patients": 12.0, "unscheduled_amount": 5_000.0}
    # diagnosed +10,000 / 20,000 = 50%; collections -3,000 / 12,000 = 25%; rate -15 points
    # (ranked 0.15); new patients unchanged; unscheduled unchanged
    assert what_changed(this, last) == [
        "Diagnosed rose by $10,000 to $30,000 (last week $20,000).",
        "Collections fell by $3,000 to $9,000 (last week $12,000).",
        "Acceptance rate ($) fell by 15.0 points to 40.0%.",
    ]


def test_unscheduled_fall_without_breakdown():
    lines = what_changed({"unscheduled_amount": 8_000.0}, {"unscheduled_amount": 10_500.0})
    assert lines == ["Unscheduled treatment fell by $2,500 to $8,000."]
