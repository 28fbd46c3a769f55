"""caseboard reconcile: caseboard beside Open Dental's report totals, differences explained."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from caseboard.storage import read_connection
from pipelines.ingest import ingest_paths
from pipelines.opendental_reconcile import reconcile
from pipelines.opendental_sample import write_folder
from tests.opendental.odfixtures import patient, procedure, tables

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def _cp(num, status, pay, writeoff, **values):
    return {
        "ClaimProcNum": num,
        "ClaimNum": 0,
        "PatNum": 1,
        "Status": status,
        "InsPayAmt": pay,
        "WriteOff": writeoff,
        "DateCP": "2025-03-20",
        "ProcDate": "2025-02-20",
        "ClinicNum": 0,
        "ClaimPaymentNum": 5,
    } | values


def _split(num, amount, pay, pat=1, day="2025-03-03", unearned=0):
    return {
        "SplitNum": num,
        "SplitAmt": amount,
        "PatNum": pat,
        "PayNum": pay,
        "DatePay": day,
        "ClinicNum": 0,
        "UnearnedType": unearned,
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """A tiny Open Dental practice loaded through the normal ingest path."""
    rows = tables(
        patient=[patient(1), patient(2, PatStatus=4), patient(3, PatStatus=6), patient(4)],
        procedurelog=[
            procedure(1, ProcStatus=2, ProcDate="2025-03-05", ProcFee=100.0),
            procedure(2, ProcStatus=2, ProcDate="2025-03-06", ProcFee=80.0, UnitQty=0),
            procedure(3, pat=2, ProcStatus=2, ProcDate="2025-03-07", ProcFee=50.0),
            procedure(4, ProcStatus=2, ProcDate="2025-04-02", ProcFee=200.0),
            procedure(5, pat=3, ProcStatus=2, ProcDate="2025-03-08", ProcFee=100.0),
            procedure(6, pat=4, CodeNum=2, ProcStatus=2, ProcDate="2025-03-01", ProcFee=50.0),
            procedure(7, pat=4, ProcStatus=2, ProcDate="2025-04-05", ProcFee=100.0),
        ],
        adjustment=[
            {
                "AdjNum": 1,
                "AdjDate": "2025-03-10",
                "AdjAmt": -20.0,
                "PatNum": 1,
                "AdjType": 0,
                "ClinicNum": 0,
            }
        ],
        claimproc=[
            _cp(1, 1, 300.0, 120.0),
            _cp(2, 0, 0.0, 40.0, ProcDate="2025-03-01", DateCP="0001-01-01", ClaimPaymentNum=0),
            _cp(3, 1, 50.0, 0.0, DateCP="2025-03-21", ClaimPaymentNum=0),
            _cp(4, 7, 0.0, 30.0, DateCP="2025-03-22", ClaimPaymentNum=0),
        ],
        definition=[{"DefNum": 10, "Category": 10, "ItemName": "Visa", "ItemValue": ""}],
        payment=[
            {"PayNum": 1, "PayType": 10, "PayDate": "2025-03-03", "PayAmt": 160.0, "PatNum": 1},
            {"PayNum": 2, "PayType": 0, "PayDate": "2025-03-04", "PayAmt": 0.0, "PatNum": 1},
            {"PayNum": 3, "PayType": 10, "PayDate": "2025-03-05", "PayAmt": 10.0, "PatNum": 2},
        ],
        paysplit=[
            _split(1, 100.0, 1),
            _split(2, 60.0, 1, day="2025-03-04", unearned=288),
            _split(3, 25.0, 2, day="2025-03-04"),
            _split(4, -25.0, 2, day="2025-03-04"),
            _split(5, 10.0, 3, pat=2, day="2025-03-05"),
        ],
    )
    folder = write_folder(rows, tmp_path_factory.mktemp("od") / "export")
    path = tmp_path_factory.mktemp("db") / "od.duckdb"
    ingest_paths([folder], db=path)
    return path


def _by_metric(db, practice=None):
    with read_connection(db) as con:
        return {row["metric"]: row for row in reconcile(con, *MARCH, practice)}


def _causes(row):
    return {item["cause"]: item["amount"] for item in row["explanations"]}


def test_gross_production(db):
    row = _by_metric(db)["gross_production"]
    # On the report's basis, production less capitation write-offs (cp 4: 30 on Mar 22):
    # caseboard: 100 (proc 1) + 80 (proc 2, 0 units = 1) + 100 (proc 5) + 50 (proc 6) - 30 = 300
    # Open Dental: 100 + 0 (80 x 0 units) + 50 (deleted patient) + 100 + 50 - 30 = 270
    assert (row["caseboard"], row["opendental"]) == (Decimal("300.00"), Decimal("270.00"))
    assert row["difference"] == Decimal("30.00")
    # +80 zero units, -50 deleted patient: 80 - 50 = 30, nothing left unexplained
    assert _causes(row) == {
        "zero_units": Decimal("80.00"),
        "deleted_patients": Decimal("-50.00"),
        "capitation_basis": None,
    }
    basis = next(i for i in row["explanations"] if i["cause"] == "capitation_basis")
    assert "-30.00 of capitation write-offs" in basis["text"]


def test_adjustments_and_writeoffs(db):
    rows = _by_metric(db)
    assert (rows["adjustments"]["caseboard"], rows["adjustments"]["opendental"]) == (
        Decimal("-20.00"),
        Decimal("-20.00"),
    )
    assert rows["adjustments"]["explanations"] == []
    row = rows["insurance_writeoffs"]
    # On the report's basis, capitation (cp 4) is in production, not write-offs:
    # caseboard -120 (cp 1, received); Open Dental by DateCP, Status 1/4: -120. They tie.
    assert (row["caseboard"], row["opendental"]) == (Decimal("-120.00"), Decimal("-120.00"))
    causes = _causes(row)
    assert causes["capitation_basis"] is None
    assert "other" not in causes
    basis = next(i for i in row["explanations"] if i["cause"] == "writeoff_date_basis")
    # ProcDate basis: Status 0/1/4 by ProcDate in March: cp 2 (40, ProcDate Mar 1) -> -40.00
    assert "-40.00" in basis["text"]


def test_income(db):
    rows = _by_metric(db)
    row = rows["patient_income"]
    # caseboard: 100 (split 1) + 60 (prepayment) = 160; transfer splits and the deleted
    # patient's 10 are not loaded. Open Dental (earned only): 100 + 25 - 25 + 10 = 110.
    assert (row["caseboard"], row["opendental"]) == (Decimal("160.00"), Decimal("110.00"))
    assert _causes(row) == {"unearned": Decimal("60.00"), "deleted_patients": Decimal("-10.00")}
    row = rows["insurance_income"]
    # caseboard: 300 (cp 1) + 50 (cp 3, not on a check) = 350; Open Dental: 300
    assert (row["caseboard"], row["opendental"]) == (Decimal("350.00"), Decimal("300.00"))
    assert _causes(row) == {"not_on_check": Decimal("50.00")}


def test_new_patients(db):
    row = _by_metric(db)["new_patients"]
    # March first visits: patient 1 (Mar 5), 2 (deleted, Mar 7), 3 (prospective, Mar 8);
    # patient 4's first real visit is Apr 5 (the Mar 1 D9986 fee does not count).
    # caseboard counts 1; Open Dental counts 3.
    assert (row["caseboard"], row["opendental"], row["difference"]) == (1, 3, -2)
    assert _causes(row) == {"deleted_patients": -1, "not_patients": -1}


def test_practice_filter_and_cli_json(db, capsys):
    from caseboard.cli import main

    assert _by_metric(db, practice="elsewhere")["gross_production"]["caseboard"] == Decimal("0.00")
    assert (
        main(["reconcile", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31", "--json"])
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    first = payload["metrics"][0]
    assert (first["metric"], first["caseboard"], first["opendental"]) == (
        "gross_production",
        300.0,
        270.0,
    )
    assert main(["reconcile", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31"]) == 0
    text = capsys.readouterr().out
    assert "Gross production" in text and "0 units" in text
    assert main(["reconcile", "--db", str(db), "--from", "2025-03-31", "--to", "2025-03-01"]) == 2


def test_no_open_dental_data(tmp_path, capsys):
    from caseboard.cli import main
    from caseboard.publish import publishing

    empty = tmp_path / "empty.duckdb"
    with publishing(empty):
        pass  # schema and views only
    args = ["reconcile", "--db", str(empty), "--from", "2025-03-01", "--to", "2025-03-31"]
    assert main(args) == 1
    assert "no Open Dental data loaded" in capsys.readouterr().err
    assert (
        main(
            [
                "reconcile",
                "--db",
                str(tmp_path / "missing.duckdb"),
                "--from",
                "2025-03-01",
                "--to",
                "2025-03-31",
            ]
        )
        == 1
    )
