"""Equal age (spec section 1): compared weeks are measured the same days after they ended."""

from datetime import date

import pytest

from caseboard.metrics import MetricParams
from caseboard.publish import publishing
from caseboard.review import weekly
from caseboard.storage import read_connection
from tests import weekly_practice as tiny

# This week Mon 2026-10-05 .. Sun 10-11; last week Mon 09-28 .. Sun 10-04.
MONDAY = date(2026, 10, 5)
LAST_MONDAY = date(2026, 9, 28)
AS_OF = date(2026, 10, 14)  # three days after this week's Sunday: age 3

PATIENTS = [{"source_id": "S1", "practice_id": "P1", "patient_id": "1", "first_name": "Ann",
             "last_name": "Lee", "status": "active", "first_visit_date": "2025-01-10"}]
PROCEDURES = [
    # last week: diagnosed Wed 09-30, scheduled 10 days later (10-10)
    tiny._proc("L1", "1", "D2740", "1000", "planned", "2026-09-30", "2026-10-10"),
    # this week: diagnosed Wed 10-07, scheduled 10 days later (10-17, after A)
    tiny._proc("T1", "1", "D2740", "500", "planned", "2026-10-07", "2026-10-17"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("equal_age") / "age.duckdb"
    with publishing(path, store=False) as con:
        for table, rows in (("patients", PATIENTS), ("procedures", PROCEDURES)):
            con.register("frame", tiny._frame(rows))
            con.execute(tiny.INSERTS[table])
            con.unregister("frame")
    return path


def test_comparison_age_and_words():
    # A 10-14 - Sunday 10-11 = 3 days; a week ending after A has age 0
    assert weekly.comparison_age(MONDAY, AS_OF) == 3
    assert weekly.comparison_age(date(2026, 10, 12), AS_OF) == 0
    assert weekly.age_words(6) == "every week measured 6 days after it ended"
    assert weekly.age_words(1) == "every week measured 1 day after it ended"
    assert weekly.age_words(0) == "every week measured on the day it ended"


def test_last_week_measured_at_the_same_age(db):
    with read_connection(db) as con:
        week = weekly.read_week(con, MetricParams(as_of=AS_OF), MONDAY)
    assert week.age_days == 3
    assert week.age_text == "every week measured 3 days after it ended"
    # this week: T1 500 diagnosed, accepted 10-17 > A: accepted 0
    assert week.this_week()["diagnosed_amount"] == 500.0
    assert week.this_week()["accepted_amount"] == 0.0
    # last week at age 3: L1 counts only if accepted by Sun 10-04 + 3 = 10-07; it was
    # accepted 10-10, so 0 of 1,000 (rate 0), not 1,000 of 1,000
    last = week.last_week()
    assert last["diagnosed_amount"] == 1000.0
    assert last["accepted_amount"] == 0.0
    assert last["rate_amount"] == 0.0
    # the 4-week average pools weeks 09-07 .. 10-04: only L1, accepted 0 at age 3 -> 0 / 4
    assert week.average()["accepted_amount"] == 0.0
    # the history chart keeps no cap: last week shows L1 accepted (10-10 <= A, within 90)
    chart_week = week.acceptance.filter(week.acceptance["week_start"] == LAST_MONDAY)
    assert float(chart_week["accepted_amount"][0]) == 1000.0
    assert chart_week["age_days"][0] is None


def test_a_week_later_both_weeks_count(db):
    # with A = 10-21 (age 10): last week's cap is 10-04 + 10 = 10-14 >= 10-10, counted
    with read_connection(db) as con:
        week = weekly.read_week(con, MetricParams(as_of=date(2026, 10, 21)), MONDAY)
    assert week.age_days == 10
    assert week.last_week()["accepted_amount"] == 1000.0
    # this week: T1 accepted 10-17 <= Sun 10-11 + 10 = 10-21: counted, 500 of 500
    assert week.this_week()["accepted_amount"] == 500.0
