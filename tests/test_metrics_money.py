"""Production, collections, A/R aging and outstanding claims (spec sections 5, 6, 7)."""

from __future__ import annotations

import pytest

from tests.metric_fixtures import build_db, by_month, d, one, rows

A = d("2026-06-30")
RANGE = {"as_of": A, "month_from": d("2026-03-01"), "month_to": d("2026-07-01")}


def done(pid, patient, fee, completed, *, code="D2740", status="completed", **extra):
    """A procedure completed on ``completed``."""
    return {"procedure_id": pid, "patient_id": patient, "code": code, "fee": str(fee),
            "status": status, "diagnosed_date": completed, "completed_date": completed,
            **extra}


def pay(pid, patient, amount, date, source="patient", **extra):
    """A payment row."""
    return {"payment_id": pid, "patient_id": patient, "amount": str(amount), "date": date,
            "source": source, **extra}


def adj(aid, patient, amount, date, kind="writeoff", **extra):
    """An adjustment row."""
    return {"adjustment_id": aid, "patient_id": patient, "amount": str(amount), "date": date,
            "kind": kind, **extra}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("money") / "m.duckdb"
    return build_db(
        path,
        patients=[{"patient_id": "1"}, {"patient_id": "2"}, {"patient_id": "3"},
                  {"patient_id": "4", "practice_id": "P2"}],
        procedures=[
            # patient 1 charges: 300 on 03-15, 500 on 05-20, 200 on 06-20
            done("a", "1", 300, "2026-03-15"),
            done("b", "1", 500, "2026-05-20"),
            done("c", "1", 200, "2026-06-20", code="D9986"),  # missed fee: still production/A/R
            # never production: existing with a date, completed after A
            done("x", "1", 999, "2026-04-01", status="existing"),
            done("y", "1", 999, "2026-07-02"),
            # patient 2: 100 charge, 250 paid -> credit balance 150
            done("e", "2", 100, "2026-04-10"),
            # patient 4 (practice P2) treated and paid at P1's chair: procedure row in P1
            done("f", "4", 1000, "2026-04-01"),
        ],
        payments=[
            # patient 1: a deposit before the work and a later payment: 100 + 350 = 450 pays
            # a (300) and 150 of b
            pay("1", "1", 100, "2026-03-01"),
            pay("2", "1", 400, "2026-06-25", source="insurance"),
            pay("3", "1", -50, "2026-06-26"),  # refund
            pay("4", "2", 250, "2026-04-10", source="financing"),
            pay("5", "1", 1000, "2026-07-05"),  # after A: ignored
            pay("6", "4", 600, "2026-04-02", practice_id="P2"),
        ],
        adjustments=[
            adj("1", "1", -40, "2026-05-21"),  # write-off: a credit of 40 for A/R
            adj("2", "1", 25, "2026-06-01", kind="charge"),  # finance charge: a charge
            adj("3", "3", -10, "2026-06-02", kind="discount"),  # no charges: credit balance 10
        ],
        claims=[
            {"claim_id": "1", "patient_id": "1", "service_date": "2026-05-20",
             "sent_date": "2026-05-21", "status": "received", "billed_amount": "500",
             "received_date": "2026-07-03"},  # received after A: outstanding as of A (40 days)
            {"claim_id": "2", "patient_id": "1", "service_date": "2026-03-15",
             "sent_date": "2026-03-31", "status": "sent", "billed_amount": "300",
             "received_date": "2026-06-30"},  # received on A: not outstanding
            {"claim_id": "3", "patient_id": "1", "service_date": "2026-06-20",
             "sent_date": "2026-05-31", "status": "sent", "billed_amount": "70"},  # 30 days
            {"claim_id": "4", "patient_id": "2", "service_date": "2026-03-01",
             "sent_date": "2026-03-01", "status": "sent", "billed_amount": "90"},  # 121 days
            {"claim_id": "5", "patient_id": "2", "service_date": "2026-06-20",
             "status": "unsent", "billed_amount": "60"},  # never sent
            {"claim_id": "6", "patient_id": "2", "service_date": "2026-06-20",
             "sent_date": "2026-07-01", "status": "sent", "billed_amount": "80"},  # after A
        ],
    )


def test_production_monthly(db):
    months = by_month(db, "metric_production_monthly", **RANGE)
    mar, apr, may, jun, jul = (months[m] for m in
                               ("2026-03", "2026-04", "2026-05", "2026-06", "2026-07"))
    assert (mar["gross_production"], mar["collections"], mar["collection_rate"]) == (
        300, 100, pytest.approx(100 / 300))
    # April: e 100 + f 1000 = 1100; payments 250 (financing) + 600 (P2's row) = 850
    assert (apr["gross_production"], apr["collections"]) == (1100, 850)
    assert (apr["collections_financing"], apr["collections_patient"]) == (250, 600)
    # May: b 500 - 40 write-off = 460 net; no collections -> rate 0
    assert (may["gross_production"], may["adjustments"], may["net_production"]) == (500, -40, 460)
    assert may["collection_rate"] == 0
    # June: c 200 (D9986 counts) + adjustments 25 - 10 = 15; collections 400 ins - 50 refund
    assert (jun["gross_production"], jun["adjustments"], jun["net_production"]) == (200, 15, 215)
    assert (jun["collections"], jun["collections_insurance"], jun["collections_patient"]) == (
        350, 400, -50)
    # July is after A: zeros, NULL rate (net 0)
    assert (jul["gross_production"], jul["collections"], jul["collection_rate"]) == (0, 0, None)


def test_production_practice_filter_by_row(db):
    apr = by_month(db, "metric_production_monthly", practice_id="P2", **RANGE)["2026-04"]
    # P2 owns only payment 6; procedure f was recorded at P1
    assert (apr["gross_production"], apr["collections"], apr["collection_rate"]) == (0, 600, None)


def test_production_weekly(db):
    weeks = {r["week_start"]: r for r in rows(
        db, "metric_production_weekly", as_of=A, week_from=d("2026-06-15"),
        week_to=d("2026-06-22"))}
    # week of 06-15: c 200 on Sat 06-20; week of 06-22: 400 - 50 collected
    assert weeks[d("2026-06-15")]["gross_production"] == 200
    assert weeks[d("2026-06-22")]["collections"] == 350


def test_ar_aging_fifo(db):
    ar = one(db, "metric_ar_aging", as_of=A)
    # patient 1: charges a 300 (03-15), b 500 (05-20), adj 25 (06-01), c 200 (06-20) = 1025;
    #   credits 100 + 400 - 50 + 40 = 490 -> pay a (300), then 190 of b: b 310 left
    #   b: A - 05-20 = 41 days -> 31-60; adj 25: 29 days -> 0-30; c 200: 10 days -> 0-30
    # patient 2: 100 charge, 250 credit -> credit balance 150; patient 3: credit 10
    # patient 4: f 1000 (04-01, 90 days -> 61-90) - 600 = 400
    assert ar == {"ar_0_30": 225, "ar_31_60": 310, "ar_61_90": 400, "ar_91_plus": 0,
                  "total": 935, "credit_balances": 160}


def test_ar_aging_by_patient_practice(db):
    # P2 = patient 4 with all of their transactions (f was recorded at P1)
    ar = one(db, "metric_ar_aging", as_of=A, practice_id="P2")
    assert (ar["total"], ar["ar_61_90"], ar["credit_balances"]) == (400, 400, 0)
    # 91 days later f is 91+: A' = 2026-07-01 (payment 5 on 07-05 still excluded)
    later = one(db, "metric_ar_aging", as_of=d("2026-07-01"), practice_id="P2")
    assert (later["ar_61_90"], later["ar_91_plus"]) == (0, 400)


def test_ar_before_payments(db):
    # A = 2026-03-20: patient 1 charge a 300 (5 days) - deposit 100 = 200 in 0-30
    ar = one(db, "metric_ar_aging", as_of=d("2026-03-20"))
    assert (ar["ar_0_30"], ar["total"], ar["credit_balances"]) == (200, 200, 0)


def test_claims_outstanding(db):
    c = one(db, "metric_claims_outstanding", as_of=A)
    # 1 (500, 40 days, received after A), 3 (70, 30 days), 4 (90, 121 days)
    assert c == {"count": 3, "amount": 660, "aging_0_30": 70, "aging_31_60": 500,
                 "aging_61_90": 0, "aging_91_plus": 90}
