"""The call list with the follow-up log: last contact on each row, due patients first."""

from __future__ import annotations

from datetime import date

import polars as pl

from caseboard.review.calllist import with_followups

TODAY = date(2026, 6, 30)


def worklist() -> pl.DataFrame:
    """Three patients, largest amount first (the list's own order)."""
    return pl.DataFrame({"source_id": ["S", "S", "S"], "patient_id": ["a", "b", "c"],
                         "amount": [900.0, 500.0, 100.0]})


def log() -> pl.DataFrame:
    return pl.DataFrame({
        "followup_id": [1, 2, 3, 4],
        "source_id": ["S", "S", "S", "S"],
        "patient_id": ["b", "b", "c", "a"],
        "contact_date": [date(2026, 6, 1), date(2026, 6, 20), date(2026, 6, 10),
                         date(2026, 6, 29)],
        "outcome": ["no_answer", "left_message", "reached", "reached"],
        "next_contact_date": [date(2026, 6, 5), date(2026, 6, 30), date(2026, 6, 25), None],
    })


def test_each_row_shows_its_latest_contact_and_whether_it_is_due():
    rows = with_followups(worklist(), log(), TODAY)
    assert rows["patient_id"].to_list() == ["a", "b", "c"]  # order kept
    # b: latest is 06-20 (not 06-01), next 06-30 = today: due; c: 06-25 < today: due (late);
    # a: no next-contact date: not due
    assert rows["last_contact_date"].to_list() == [date(2026, 6, 29), date(2026, 6, 20),
                                                   date(2026, 6, 10)]
    assert rows["last_outcome"].to_list() == ["reached", "left_message", "reached"]
    assert rows["due"].to_list() == [False, True, True]


def test_due_first_puts_the_earliest_next_contact_first():
    rows = with_followups(worklist(), log(), TODAY, due_first=True)
    assert rows["patient_id"].to_list() == ["c", "b", "a"]  # 06-25, 06-30, then not due


def test_without_a_log_nothing_is_due():
    rows = with_followups(worklist(), None, TODAY, due_first=True)
    assert rows["due"].to_list() == [False, False, False]
    assert rows["patient_id"].to_list() == ["a", "b", "c"]


def test_the_trend_chart_draws_the_team_rows_only():
    from caseboard.review.charts import followup_trend_chart

    frame = pl.DataFrame({
        "month": [date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 1)],
        "team_member_id": [None, None, "tc1"], "is_team": [True, True, False],
        "contacts": [2, 9, 5], "speed_patients": [3, 3, 1], "speed_share": [0.0, 0.3333, 1.0],
    })
    fig = followup_trend_chart(frame)
    assert list(fig.data[0].y) == [2.0, 9.0]
    assert list(fig.data[1].y) == [0.0, 0.3333]
    assert list(fig.data[0].x) == ["May 2026", "Jun 2026"]
    empty = followup_trend_chart(frame.clear())
    assert empty.layout.annotations[0].text == "No contacts recorded in this range"


def test_notes_are_hidden_when_de_identifying():
    from caseboard.privacy import mask_notes

    frame = pl.DataFrame({"note": ["call after 5", None, ""]})
    assert mask_notes(frame, True)["note"].to_list() == ["(hidden)", None, ""]
    assert mask_notes(frame, False)["note"].to_list() == ["call after 5", None, ""]
