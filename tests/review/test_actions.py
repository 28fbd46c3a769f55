"""Action lists as of A: claims over 30 days, A/R over 90 days, patients to call."""

from datetime import date

import polars as pl
import pytest

from caseboard.metrics import MetricParams, query_view
from caseboard.review import actions
from caseboard.storage import read_connection
from pipelines.ingest import ingest_paths
from tests.metric_fixtures import build_db

A = date(2026, 6, 30)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("actions") / "actions.duckdb"

    def claim(cid, sent, received=None, billed="100", carrier=None):
        return {"claim_id": cid, "patient_id": "1", "service_date": sent, "sent_date": sent,
                "status": "sent", "billed_amount": billed, "received_date": received,
                "carrier": carrier}

    def proc(pid, patient, fee, status, diagnosed, completed=None):
        return {"procedure_id": pid, "patient_id": patient, "code": "D2740", "fee": fee,
                "status": status, "diagnosed_date": diagnosed, "completed_date": completed}

    def pay(mid, patient, day, amount):
        return {"payment_id": mid, "patient_id": patient, "date": day, "amount": amount,
                "source": "patient"}

    return build_db(
        path,
        patients=[{"patient_id": p, "first_name": "=HYPERLINK(1)" if p == "1" else f"Pat{p}",
                   "last_name": "Doe", "phone": "555-010" + p, "status": "active"}
                  for p in ("1", "2", "3")],
        claims=[
            claim("C31", "2026-05-30", billed="310"),          # 31 days before A: listed
            claim("C30", "2026-05-31"),                        # 30 days: not yet
            claim("C99", "2026-03-01", "2026-04-01"),          # received: not outstanding
            claim("C45", "2026-05-16", "2026-07-05", "450", "Delta Dental"),  # received after A
        ],
        procedures=[
            proc("A1", "1", "1000", "completed", "2026-01-10", "2026-01-10"),
            proc("A2", "1", "200", "completed", "2026-06-01", "2026-06-01"),
            proc("B1", "2", "500", "completed", "2026-01-05", "2026-01-05"),
            proc("C1", "3", "400", "completed", "2026-02-01", "2026-02-01"),
            proc("U1", "1", "800", "planned", "2026-06-20"),
            proc("U2", "2", "5000", "planned", "2026-01-15"),
            proc("U3", "3", "300", "planned", "2026-06-25"),
        ],
        payments=[pay("M1", "1", "2026-02-01", "300"), pay("M2", "2", "2026-01-05", "800"),
                  pay("M3", "3", "2026-02-01", "400")],
        appointments=[{"appointment_id": "AP1", "patient_id": "1",
                       "start": "2026-07-05 09:00:00", "status": "scheduled"}],
    )


def _view(db, view):
    with read_connection(db) as con:
        return query_view(con, view, MetricParams(as_of=A))


def test_claims_over_30_days(db):
    claims = _view(db, "metric_claims_over_30")
    # C45: A - 05-16 = 45 days; C31: A - 05-30 = 31 days; C30 (30 days) and C99 (received) not
    assert claims["claim_id"].to_list() == ["C45", "C31"]
    assert claims["days_out"].to_list() == [45, 31]
    assert float(claims["billed_amount"].cast(pl.Float64).sum()) == 760.0  # 450 + 310
    assert claims["carrier"].to_list() == ["Delta Dental", None]  # C31 has no carrier


def test_claims_csv_has_the_carrier(db):
    claims = _view(db, "metric_claims_over_30")
    lines = actions.list_csv(claims, actions.CLAIM_COLUMNS, deidentify=True).decode().splitlines()
    assert lines[0] == "Patient,Phone,Claim,Carrier,Service date,Sent,Billed,Days out"
    assert lines[1].split(",")[2:4] == ["C45", "Delta Dental"]
    assert lines[2].split(",")[2:4] == ["C31", ""]  # no carrier: an empty cell


@pytest.mark.parametrize("header,value,expected", [
    (",carrier", ",Aetna", "Aetna"),  # the export names the carrier
    ("", "", None),                   # an export without the column: carrier NULL
])
def test_standard_claims_file_carrier_reaches_claims_to_chase(tmp_path, header, value, expected):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "patients.csv").write_text("patient_id,first_name,last_name\n1,Ann,Lee\n")
    (folder / "procedures.csv").write_text(
        "procedure_id,patient_id,code,fee,status,diagnosed_date\nP1,1,D2740,100,planned,"
        "2026-05-01\n")
    (folder / "claims.csv").write_text(
        f"claim_id,patient_id,service_date,sent_date,status,billed_amount{header}\n"
        f"K1,1,2026-05-01,2026-05-02,sent,100{value}\n")
    db = tmp_path / "load.duckdb"
    ingest_paths([folder], db=db, practice_id="A")
    claims = _view(db, "metric_claims_over_30")
    # A - 2026-05-02 = 29 + 30 = 59 days out (> 30): listed
    assert claims.select("claim_id", "days_out", "carrier").rows() == [("K1", 59, expected)]


def test_ar_over_90_days_fifo_and_no_credit_balance(db):
    ar = _view(db, "metric_ar_over_90")
    # patient 1: charges A1 1000 (01-10, 171 days) and A2 200 (06-01, 29 days); the 300 paid
    # on 02-01 pays A1 first: open 700 of A1 (over 90) + 200 of A2 = balance 900.
    # patient 2 paid 800 for 500 (credit balance 300): never listed; patient 3 owes nothing.
    assert ar["patient_id"].to_list() == ["1"]
    row = ar.row(0, named=True)
    assert (float(row["balance"]), float(row["ar_91_plus"])) == (900.0, 700.0)
    assert row["oldest_open_charge"] == date(2026, 1, 10)
    assert (row["last_payment_date"], float(row["last_payment_amount"])) == (
        date(2026, 2, 1), 300.0)


def test_call_list_ranked_for_workability(db):
    calls = _view(db, "metric_call_list")
    # no future appointment first, then the newest diagnosis: patient 3 (06-25, 5 days),
    # patient 2 (01-15, 166 days, though 5,000 is larger), then patient 1, flagged: booked
    # for 07-05 after A
    assert calls["patient_id"].to_list() == ["3", "2", "1"]
    assert calls["days_since_diagnosis"].to_list() == [5, 166, 10]
    assert calls["has_future_appointment"].to_list() == [False, False, True]
    # this week's calls (window 90 days, at least $200): only patient 3 (300)
    to_call = actions.to_call(calls, 90)
    assert to_call["patient_id"].to_list() == ["3"]
    items = {i.key: i for i in actions.action_items(calls, _view(db, "metric_claims_over_30"),
                                                    _view(db, "metric_ar_over_90"), [], 90)}
    assert (items["call"].count, items["call"].amount) == (1, 300.0)
    assert (items["claims"].count, items["claims"].amount) == (2, 760.0)
    assert (items["ar"].count, items["ar"].amount) == (1, 700.0)
    assert items["goals"].count == 0


def test_csv_is_formula_safe_and_deidentified(db):
    ar = _view(db, "metric_ar_over_90")
    text = actions.list_csv(ar, actions.AR_COLUMNS, deidentify=False).decode()
    # the first name '=HYPERLINK(1)' is quoted so a spreadsheet shows it as text
    assert "'=HYPERLINK(1) Doe" in text and "900.0" in text
    masked = actions.list_csv(ar, actions.AR_COLUMNS, deidentify=True).decode()
    assert "Doe" not in masked and "555-0101" not in masked and "***-**01" in masked


def test_full_call_list_flags_and_hides_booked_patients(db):
    from caseboard.review.calllist import filter_worklist

    calls = _view(db, "metric_call_list")
    # workability order kept; patient 1 (booked 07-05) is flagged and can be hidden
    assert filter_worklist(calls, A, order="Workability")["patient_id"].to_list() == [
        "3", "2", "1"]
    assert filter_worklist(calls, A, hide_booked=True, order="Workability")[
        "patient_id"].to_list() == ["3", "2"]
    # by amount: 5,000, 800, 300
    assert filter_worklist(calls, A)["patient_id"].to_list() == ["2", "1", "3"]


def test_lists_tie_out_with_the_aging_views_on_the_sample(sample_db_master):
    # the lists are the aging views' 91+ A/R and 31+ day claims, item by item
    with read_connection(sample_db_master) as con:
        params = MetricParams()
        ar = query_view(con, "metric_ar_over_90", params)
        aging = query_view(con, "metric_ar_aging", params).row(0, named=True)
        claims = query_view(con, "metric_claims_over_30", params)
        outstanding = query_view(con, "metric_claims_outstanding", params).row(0, named=True)
    assert ar.height > 0 and claims.height > 0
    assert ar["ar_91_plus"].sum() == aging["ar_91_plus"]
    assert claims["billed_amount"].sum() == (outstanding["aging_31_60"]
                                             + outstanding["aging_61_90"]
                                             + outstanding["aging_91_plus"])
