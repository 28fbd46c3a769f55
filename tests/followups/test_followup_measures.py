"""Follow-up measures (spec section 10) on a hand-built practice and log: contacts,
patients contacted, follow-up speed, recovered dollars, overdue, declined reasons."""

from __future__ import annotations

import re
from datetime import date

import pytest

from caseboard import followups
from caseboard.followups import Contact
from tests.metric_fixtures import build_db, d, rows

A = d("2026-06-30")
RANGE = {"as_of": A, "month_from": d("2026-04-01"), "month_to": d("2026-06-01")}


def proc(pid, patient, fee, diagnosed, **extra):
    """A procedure row (code D2740)."""
    return {"procedure_id": pid, "patient_id": patient, "code": "D2740", "fee": str(fee),
            "diagnosed_date": diagnosed, **extra}


def contact(patient, day, outcome, member, next_day=None, reason=None):
    """A contact with a patient of source S1, practice P1."""
    return Contact("S1", "P1", patient, d(day), outcome, reason,
                   d(next_day) if next_day else None, None, member)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("followups") / "f.duckdb"
    build_db(
        path,
        patients=[{"patient_id": str(i)} for i in range(1, 10)],
        procedures=[
            # speed, June: 1, 2, 3 diagnosed 06-01 and never accepted
            proc("f1", "1", 100, "2026-06-01", status="planned"),
            proc("f2", "2", 100, "2026-06-01", status="planned"),
            proc("f3", "3", 100, "2026-06-01", status="planned"),
            # recovered: accepted 30 and 31 days after a contact on 05-01
            proc("r1", "4", 800, "2026-04-01", status="planned", scheduled_date="2026-05-31"),
            proc("r2", "5", 500, "2026-04-01", status="planned", scheduled_date="2026-06-01"),
            # overdue: 6 never accepts; 7 accepts 06-25; 8 is called again
            proc("o1", "6", 300, "2026-05-01", status="planned"),
            proc("o2", "7", 400, "2026-05-01", status="planned", scheduled_date="2026-06-25"),
            proc("o3", "8", 300, "2026-05-01", status="planned"),
        ],
        goals=[
            {"goal_id": 1, "metric": "followup_contacts", "target": 10, "period": "month"},
            {"goal_id": 2, "metric": "followup_speed", "target": 0.3, "period": "month"},
            {"goal_id": 3, "metric": "followup_overdue", "target": 0, "period": "month",
             "member_id": "tc2"},
            {"goal_id": 4, "metric": "followup_recovered", "target": 300, "period": "month",
             "member_id": "tc2"},
            {"goal_id": 5, "metric": "followup_patients", "target": 5, "period": "week"},
            {"goal_id": 6, "metric": "new_patients", "target": 5, "period": "month"},
        ],
    )
    followups.record(path, [
        contact("1", "2026-06-08", "reached", "tc1"),            # day 7 after 06-01: fast
        contact("2", "2026-06-09", "no_answer", "tc2"),          # day 8: not fast
        contact("4", "2026-05-01", "reached", "tc1"),
        contact("5", "2026-05-01", "reached", "tc1"),
        contact("6", "2026-06-10", "left_message", "tc2", "2026-06-20"),
        contact("7", "2026-06-10", "left_message", "tc2", "2026-06-20"),
        contact("8", "2026-06-10", "left_message", "tc1", "2026-06-20"),
        contact("8", "2026-06-22", "declined", "tc1", reason="cost"),
        contact("9", "2026-06-15", "reached", "tc2", "2026-06-30"),
        contact("1", "2026-06-12", "reached", "tc1"),
        contact("2", "2026-07-02", "reached", "tc2"),            # after A: never counts
        contact("99", "2026-06-05", "reached", "tc1"),           # not in the practice data
    ])
    return path


def month_row(db, month, member=None, team=True, **params):
    """One row of metric_followup_monthly."""
    found = [r for r in rows(db, "metric_followup_monthly", **{**RANGE, **params})
             if r["month"] == d(month) and r["is_team"] == team
             and r["team_member_id"] == member]
    assert len(found) == 1
    return found[0]


def test_contacts_and_patients_per_month_and_member(db):
    june = month_row(db, "2026-06-01")
    # June contacts: 1 (x2), 2, 6, 7, 8 (x2), 9, 99 = 9 (2 on 07-02 is after A); patients 7
    assert (june["contacts"], june["patients_contacted"]) == (9, 7)
    tc1 = month_row(db, "2026-06-01", "tc1", team=False)
    # tc1: 1 (06-08, 06-12), 8 (06-10, 06-22), 99 = 5 contacts, 3 patients
    assert (tc1["contacts"], tc1["patients_contacted"]) == (5, 3)
    tc2 = month_row(db, "2026-06-01", "tc2", team=False)
    assert (tc2["contacts"], tc2["patients_contacted"]) == (4, 4)  # 2, 6, 7, 9
    may = month_row(db, "2026-05-01")
    assert (may["contacts"], may["patients_contacted"]) == (2, 2)  # 4 and 5 on 05-01
    assert (june["declined_count"], may["declined_count"]) == (1, 0)


def test_follow_up_speed_day_7_is_fast_day_8_is_not(db):
    june = month_row(db, "2026-06-01")
    # oldest unscheduled diagnosis 06-01 for 1, 2, 3: 1 first called 06-08 (day 7, fast),
    # 2 on 06-09 (day 8, not), 3 never: 1 of 3 = 0.3333
    assert (june["speed_patients"], june["speed_fast"], june["speed_share"]) == (3, 1, 0.3333)
    tc1 = month_row(db, "2026-06-01", "tc1", team=False)
    tc2 = month_row(db, "2026-06-01", "tc2", team=False)
    assert (tc1["speed_patients"], tc1["speed_fast"], tc1["speed_share"]) == (1, 1, 1.0)
    assert (tc2["speed_patients"], tc2["speed_fast"], tc2["speed_share"]) == (1, 0, 0.0)
    # May: 6, 7, 8 diagnosed 05-01, first called 06-10 (40 days). April: 4 and 5 were
    # diagnosed 04-01, before the month of the first recorded contact (May): no speed.
    may = month_row(db, "2026-05-01")
    april = month_row(db, "2026-04-01")
    assert (may["speed_patients"], may["speed_fast"], may["speed_share"]) == (3, 0, 0.0)
    assert (april["speed_patients"], april["speed_fast"], april["speed_share"]) == (0, 0, None)


def test_acceptance_30_days_after_a_contact_is_recovered_31_is_not(db):
    # r1 (800) accepted 05-31 = 05-01 + 30: recovered in May; r2 (500) 06-01 = + 31: not.
    # o2 (400) accepted 06-25, 15 days after 7's contact on 06-10: recovered in June.
    may = month_row(db, "2026-05-01")
    june = month_row(db, "2026-06-01")
    assert (float(may["recovered_amount"]), float(june["recovered_amount"])) == (800.0, 400.0)
    assert float(month_row(db, "2026-05-01", "tc1", team=False)["recovered_amount"]) == 800.0
    assert float(month_row(db, "2026-06-01", "tc2", team=False)["recovered_amount"]) == 400.0
    assert float(month_row(db, "2026-04-01")["recovered_amount"]) == 0.0


def overdue(db, as_of):
    """The patients overdue as of ``as_of``, and the team's count."""
    latest = rows(db, "metric_followup_latest", as_of=as_of)
    counts = rows(db, "metric_followup_overdue", as_of=as_of)
    team = [r["overdue_patients"] for r in counts if r["is_team"]]
    return sorted(r["patient_id"] for r in latest if r["overdue"]), team[0], latest


def test_overdue_until_the_patient_accepts(db):
    # As of 06-24: 6 and 7 were to be called by 06-20 (before A) and were not; 8 was
    # called again 06-22; 9 is due 06-30 (after A).
    patients, team, _ = overdue(db, d("2026-06-24"))
    assert (patients, team) == (["6", "7"], 2)
    # As of 06-30: 7 accepted on 06-25, after the contact: no longer overdue; 9's
    # next-contact date is A itself: due, not overdue.
    patients, team, latest = overdue(db, A)
    assert (patients, team) == (["6"], 1)
    nine = next(r for r in latest if r["patient_id"] == "9")
    assert (nine["due"], nine["overdue"]) == (True, False)
    six = next(r for r in latest if r["patient_id"] == "6")
    assert six["days_overdue"] == 10  # 06-30 - 06-20
    per_member = {r["team_member_id"]: r["overdue_patients"]
                  for r in rows(db, "metric_followup_overdue", as_of=A) if not r["is_team"]}
    assert per_member == {"tc2": 1}


def test_a_patient_missing_from_the_data_keeps_their_entries(db):
    latest = {r["patient_id"]: r for r in rows(db, "metric_followup_latest", as_of=A)}
    assert latest["99"]["in_practice_data"] is False
    assert latest["99"]["first_name"] is None
    assert latest["1"]["in_practice_data"] is True
    assert (latest["1"]["contact_count"], latest["1"]["last_contact_date"]) == (
        2, date(2026, 6, 12))


def test_declined_reasons(db):
    reasons = rows(db, "metric_followup_reasons", **RANGE)
    team = {r["reason"]: r["declined_count"] for r in reasons if r["is_team"]}
    assert team == {"cost": 1, "insurance": 0, "timing": 0, "fear": 0,
                    "second_opinion": 0, "other": 0}
    members = [(r["team_member_id"], r["reason"], r["declined_count"])
               for r in reasons if not r["is_team"]]
    assert members == [("tc1", "cost", 1)]


def test_a_practice_filter_keeps_only_its_contacts(db):
    june = month_row(db, "2026-06-01", practice_id="P2")
    assert (june["contacts"], june["speed_patients"]) == (0, 0)


def test_no_precomputed_view_reads_the_log():
    """The store is rebuilt by loads only, so a view that reads entries must never be in it."""
    from caseboard import precompute
    from caseboard.views import sql_files

    pattern = re.compile(r"\b(entries\.\w+|int_followups|metric_followup_\w+)\b")
    readers = {p.stem for folder in ("intermediate", "marts") for p in sql_files(folder)
               if pattern.search(p.read_text())}
    assert readers == {"int_followups", "int_followup_speed", "int_followup_recovered",
                       *followups.VIEWS}
    stored = set(precompute.PAGE_VIEWS + precompute.OVERVIEW_VIEWS + precompute.GOAL_VIEWS)
    assert not stored & readers


def test_follow_up_goals(db):
    goals = {r["goal_id"]: r for r in rows(db, "metric_followup_goal_progress", as_of=A)}
    assert sorted(goals) == [1, 2, 3, 4, 5]  # not the new-patients goal
    # June up to A = 06-30 (elapsed share 30/30): 9 contacts of 10 -> 0.9, behind
    assert (goals[1]["actual"], goals[1]["progress"], goals[1]["status"]) == (9.0, 0.9, "behind")
    # speed 1 of 3 = 0.3333 against 0.3 -> progress 1.111, on track
    assert (goals[2]["actual"], goals[2]["status"]) == (0.3333, "on track")
    # tc2's overdue patients: 6 -> 1 against at most 0, behind
    assert (goals[3]["actual"], goals[3]["status"]) == (1.0, "behind")
    # tc2 recovered 400 in June (o2 after the 06-10 call) against 300 -> on track
    assert (goals[4]["actual"], goals[4]["progress"], goals[4]["status"]) == (
        400.0, 400 / 300, "on track")
    # week of Mon 06-29: no contact on 06-29 or 06-30 -> 0 patients, behind
    assert (goals[5]["actual"], goals[5]["status"]) == (0.0, "behind")
    # metric_goal_progress has no actual for them; the merge takes the follow-up rows
    from caseboard.metrics import MetricParams, query_view
    from caseboard.storage import read_connection

    with read_connection(db) as con:
        plain = query_view(con, "metric_goal_progress", MetricParams(as_of=A), stored=False)
        merged = followups.merge_goal_progress(plain, query_view(
            con, "metric_followup_goal_progress", MetricParams(as_of=A), stored=False))
    assert plain.filter(plain["goal_id"] == 1)["status"].to_list() == ["no data"]
    assert merged["goal_id"].to_list() == [1, 2, 3, 4, 5, 6]
    assert merged["actual"].to_list()[:5] == [9.0, 0.3333, 1.0, 400.0, 0.0]
