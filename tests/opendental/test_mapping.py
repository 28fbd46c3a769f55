"""One small hand-built Open Dental case per mapping rule of ../shared/spec/opendental.md."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest

from pipelines.opendental import OpenDentalError, looks_like_opendental, read_folder
from tests.opendental.odfixtures import (
    BLANK,
    BLANK_DT,
    TODAY,
    appointment,
    by_id,
    patient,
    procedure,
    read,
    tables,
)

D = dt.date


def test_blank_dates_zero_keys_and_units(tmp_path):
    rows = tables(
        patient=[
            patient(1, Birthdate=BLANK),
            patient(2, Birthdate="1880-12-31"),  # year <= 1880 is blank too
            patient(3, Birthdate="1881-01-01"),
        ],
        procedurelog=[
            # 12.50 x (3 units + 1 base unit) = 50.00
            procedure(10, ProcFee=12.5, UnitQty=3, BaseUnits=1, ProvNum=0),
            # 0 units count as 1: 80.00 x 1 = 80.00
            procedure(11, ProcFee=80.0, UnitQty=0, BaseUnits=0),
            # a float fee is rounded to cents: 33.333 x 1 -> 33.33
            procedure(12, ProcFee=33.333),
        ],
    )
    result = read(rows, tmp_path)
    patients = by_id(result.frames["patients"], "patient_id")
    assert patients["1"]["birth_date"] is None
    assert patients["2"]["birth_date"] is None
    assert patients["3"]["birth_date"] == D(1881, 1, 1)
    procs = by_id(result.frames["procedures"], "procedure_id")
    assert procs["10"]["fee"] == Decimal("50.0000")
    assert procs["10"]["provider_id"] is None  # ProvNum 0 = none
    assert procs["11"]["fee"] == Decimal("80.0000")
    assert procs["12"]["fee"] == Decimal("33.3300")
    assert procs["11"]["provider_id"] == "prov-1"
    assert result.frames["procedures"].schema["fee"].__class__.__name__ == "Decimal"


def test_procedure_statuses_codes_dates(tmp_path):
    rows = tables(
        procedurelog=[
            procedure(1, ProcStatus=1),
            procedure(2, ProcStatus=2, ProcDate="2025-01-20"),
            procedure(3, ProcStatus=3, DateTP=BLANK, ProcDate="2024-05-01"),
            procedure(4, ProcStatus=4, DateTP=BLANK, ProcDate="2024-05-02"),
            procedure(5, ProcStatus=5),
            procedure(6, ProcStatus=6),
            procedure(7, ProcStatus=7),
            procedure(8, ProcStatus=8),
            procedure(9, ProcStatus=9),  # unknown: quarantined
            procedure(20, CodeNum=77),  # no such code: quarantined
        ]
    )
    result = read(rows, tmp_path)
    procs = by_id(result.frames["procedures"], "procedure_id")
    assert {k: v["status"] for k, v in procs.items()} == {
        "1": "planned",
        "2": "completed",
        "3": "existing",
        "4": "existing",
        "5": "referred",
        "6": "deleted",
        "7": "condition",
        "8": "inactive",
    }
    assert procs["2"]["completed_date"] == D(2025, 1, 20)
    assert procs["1"]["completed_date"] is None
    # diagnosed_date = DateTP, blank -> ProcDate
    assert procs["2"]["diagnosed_date"] == D(2025, 1, 10)
    assert procs["3"]["diagnosed_date"] == D(2024, 5, 1)
    assert procs["1"]["code"] == "D2740"
    assert procs["1"]["description"] == "Crown - porcelain/ceramic"
    reasons = sorted(r.reason for r in result.rejects)
    assert reasons == [
        "procedurelog ProcNum 20: CodeNum 77 not in procedurecode",
        "procedurelog ProcNum 9: unknown ProcStatus 9 (expected one of 1, 2, 3, 4, 5, 6, 7, 8)",
    ]
    assert all(r.table == "procedures" and r.file == "procedurelog.csv" for r in result.rejects)
    assert result.read_counts["procedures"] == 10  # 8 loaded + 2 quarantined


def test_first_presented_saved_plan_and_presenter(tmp_path):
    rows = tables(
        procedurelog=[procedure(1), procedure(2)],
        treatplan=[
            {
                "TreatPlanNum": 20,
                "PatNum": 1,
                "DateTP": "2025-02-01",
                "TPStatus": 0,
                "UserNumPresenter": 5,
                "DateTSigned": BLANK_DT,
                "Signature": "x",
            },
            {
                "TreatPlanNum": 30,
                "PatNum": 1,
                "DateTP": "2025-01-15",
                "TPStatus": 0,
                "UserNumPresenter": 6,
                "DateTSigned": "2025-01-16 14:05:00",
                "Signature": "y",
            },
            {
                "TreatPlanNum": 25,
                "PatNum": 1,
                "DateTP": "2025-01-15",
                "TPStatus": 0,
                "UserNumPresenter": 0,
                "DateTSigned": BLANK_DT,
                "Signature": "",
            },
            # the Active plan (TPStatus 1) is not a presentation
            {
                "TreatPlanNum": 5,
                "PatNum": 1,
                "DateTP": BLANK,
                "TPStatus": 1,
                "UserNumPresenter": 0,
                "DateTSigned": BLANK_DT,
                "Signature": "",
            },
        ],
        proctp=[
            {"ProcTPNum": 1, "TreatPlanNum": 20, "ProcNumOrig": 1},
            {"ProcTPNum": 2, "TreatPlanNum": 30, "ProcNumOrig": 1},
            {"ProcTPNum": 3, "TreatPlanNum": 25, "ProcNumOrig": 1},
            {"ProcTPNum": 4, "TreatPlanNum": 20, "ProcNumOrig": 2},
            {"ProcTPNum": 5, "TreatPlanNum": 5, "ProcNumOrig": 2},
        ],
        userod=[
            {"UserNum": 5, "UserName": "tc.jane", "Password": "secret-hash"},
            {"UserNum": 6, "UserName": "drsmith", "Password": "secret-hash"},
        ],
    )
    result = read(rows, tmp_path)
    procs = by_id(result.frames["procedures"], "procedure_id")
    # proc 1 is on 20 (Feb 1), 30 and 25 (both Jan 15): lowest DateTP, then lowest number -> 25
    assert procs["1"]["plan_id"] == "25"
    assert procs["2"]["plan_id"] == "20"
    plans = by_id(result.frames["treatment_plans"], "plan_id")
    assert set(plans) == {"20", "25", "30"}
    assert plans["20"]["presenter_id"] == "user-5"
    assert plans["25"]["presenter_id"] is None
    assert plans["30"]["signed_date"] == D(2025, 1, 16)
    assert plans["20"]["signed_date"] is None
    assert plans["20"]["status"] == "saved"
    assert plans["20"]["presented_date"] == D(2025, 2, 1)
    assert plans["20"]["practice_id"] == "main"  # its patient's
    team = by_id(result.frames["team"], "member_id")
    assert team["user-5"] == {
        "member_id": "user-5",
        "practice_id": "main",
        "name": "tc.jane",
        "role": "other",
    }


def test_scheduled_date_rules(tmp_path):
    rows = tables(
        procedurelog=[
            procedure(1, AptNum=101),  # entered Jan 12, after diagnosis Jan 10 -> Jan 12
            procedure(2, AptNum=102),  # entered Jan 5, before diagnosis -> Jan 10
            procedure(3, AptNum=103),  # blank entry, appointment Feb 1 before load day -> Feb 1
            procedure(4, AptNum=104),  # blank entry, appointment Aug 1 after load day -> Jun 1
            procedure(5, AptNum=105, DateTP="2025-03-01"),  # diagnosed after Feb 1 -> Feb 1
            procedure(6, AptNum=106),  # broken
            procedure(7, AptNum=107),  # on the unscheduled list
            procedure(8, AptNum=108),  # planned appointment only
            procedure(9, AptNum=109),  # ASAP (4) counts as scheduled
            procedure(10, AptNum=110, ProcStatus=2, ProcDate="2025-02-01"),  # complete appt
        ],
        appointment=[
            appointment(101),
            appointment(102, SecDateTEntry="2025-01-05 08:00:00"),
            appointment(103, SecDateTEntry=BLANK_DT),
            appointment(104, SecDateTEntry=BLANK_DT, AptDateTime="2025-08-01 09:00:00"),
            appointment(105, SecDateTEntry="2025-01-20 08:00:00"),
            appointment(106, AptStatus=5),
            appointment(107, AptStatus=3),
            appointment(108, AptStatus=6),
            appointment(109, AptStatus=4),
            appointment(110, AptStatus=2),
        ],
    )
    result = read(rows, tmp_path)
    procs = by_id(result.frames["procedures"], "procedure_id")
    got = {k: (v["scheduled_date"], v["appointment_date"]) for k, v in procs.items()}
    feb1 = D(2025, 2, 1)
    assert got == {
        "1": (D(2025, 1, 12), feb1),
        "2": (D(2025, 1, 10), feb1),
        "3": (feb1, feb1),
        "4": (TODAY, D(2025, 8, 1)),
        "5": (feb1, feb1),
        "6": (None, None),
        "7": (None, None),
        "8": (None, None),
        "9": (D(2025, 1, 12), feb1),
        "10": (D(2025, 1, 12), feb1),
    }
    appts = by_id(result.frames["appointments"], "appointment_id")
    assert {k: v["status"] for k, v in appts.items()} == {
        "101": "scheduled",
        "102": "scheduled",
        "103": "scheduled",
        "104": "scheduled",
        "105": "scheduled",
        "106": "broken",
        "107": "unscheduled",
        "108": "planned",
        "109": "scheduled",
        "110": "completed",
    }
    assert appts["101"]["start"] == dt.datetime(2025, 2, 1, 9, 0)
    assert appts["101"]["booked_at"] == dt.datetime(2025, 1, 12, 10, 30)
    assert appts["103"]["booked_at"] is None
    assert appts["101"]["provider_id"] == "prov-1"


def test_appointment_notes_not_loaded(tmp_path):
    rows = tables(
        appointment=[
            appointment(1, AptStatus=0),
            appointment(2, AptStatus=7),
            appointment(3, AptStatus=8),
            appointment(4),
        ]
    )
    result = read(rows, tmp_path)
    assert result.frames["appointments"]["appointment_id"].to_list() == ["4"]
    assert "3 appointment row(s) that are notes (AptStatus 0, 7, 8) not loaded" in result.notes


def _money_tables(**extra):
    return tables(
        patient=[patient(1), patient(2)],
        definition=[
            {"DefNum": 10, "Category": 10, "ItemName": "Visa", "ItemValue": ""},
            {"DefNum": 11, "Category": 10, "ItemName": "CareCredit", "ItemValue": ""},
            {"DefNum": 12, "Category": 10, "ItemName": "In-house Financing", "ItemValue": ""},
            {"DefNum": 20, "Category": 1, "ItemName": "Courtesy", "ItemValue": "dp"},
            {"DefNum": 21, "Category": 1, "ItemName": "Senior discount", "ItemValue": "-"},
            {"DefNum": 22, "Category": 1, "ItemName": "Bad debt", "ItemValue": "-"},
            {"DefNum": 23, "Category": 1, "ItemName": "Finance charge", "ItemValue": "+"},
        ],
        **extra,
    )


def test_patient_money_from_paysplits(tmp_path):
    rows = _money_tables(
        payment=[
            {"PayNum": 1, "PayType": 10, "PayDate": "2025-03-01", "PayAmt": 150.0, "PatNum": 1},
            {"PayNum": 2, "PayType": 11, "PayDate": "2025-03-02", "PayAmt": 500.0, "PatNum": 1},
            {"PayNum": 3, "PayType": 12, "PayDate": "2025-03-03", "PayAmt": 20.0, "PatNum": 1},
            {"PayNum": 4, "PayType": 0, "PayDate": "2025-03-04", "PayAmt": 0.0, "PatNum": 1},
        ],
        paysplit=[
            # payer is patient 1, but the split is on family member 2's account
            {
                "SplitNum": 1,
                "SplitAmt": 100.0,
                "PatNum": 2,
                "PayNum": 1,
                "DatePay": "2025-03-01",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
            {
                "SplitNum": 2,
                "SplitAmt": 50.004,
                "PatNum": 1,
                "PayNum": 1,
                "DatePay": "2025-03-01",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
            {
                "SplitNum": 3,
                "SplitAmt": 500.0,
                "PatNum": 1,
                "PayNum": 2,
                "DatePay": "2025-03-02",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
            {
                "SplitNum": 4,
                "SplitAmt": 20.0,
                "PatNum": 1,
                "PayNum": 3,
                "DatePay": "2025-03-03",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
            # an income transfer: +30 / -30, not loaded
            {
                "SplitNum": 5,
                "SplitAmt": 30.0,
                "PatNum": 1,
                "PayNum": 4,
                "DatePay": "2025-03-04",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
            {
                "SplitNum": 6,
                "SplitAmt": -30.0,
                "PatNum": 1,
                "PayNum": 4,
                "DatePay": "2025-03-04",
                "ClinicNum": 0,
                "UnearnedType": 0,
            },
        ],
    )
    result = read(rows, tmp_path)
    pays = by_id(result.frames["payments"], "payment_id")
    assert set(pays) == {"split-1", "split-2", "split-3", "split-4"}
    assert pays["split-1"]["patient_id"] == "2"
    assert pays["split-1"]["method"] == "Visa"
    assert pays["split-1"]["source"] == "patient"
    assert pays["split-1"]["date"] == D(2025, 3, 1)
    assert pays["split-2"]["amount"] == Decimal("50.0000")  # 50.004 rounded to cents
    assert (pays["split-3"]["source"], pays["split-3"]["method"]) == ("financing", "CareCredit")
    assert pays["split-4"]["source"] == "financing"  # "In-house Financing" matches "financ"
    assert "2 paysplit row(s) of income transfers (PayType 0) not loaded" in result.notes


def test_insurance_money_writeoffs_and_preauth(tmp_path):
    def cp(num, status, pay, writeoff, claim=1, **values):
        return {
            "ClaimProcNum": num,
            "ClaimNum": claim,
            "PatNum": 1,
            "Status": status,
            "InsPayAmt": pay,
            "WriteOff": writeoff,
            "DateCP": "2025-04-10",
            "ProcDate": "2025-03-01",
            "ClinicNum": 0,
            "ClaimPaymentNum": 9,
            "WriteOffEst": -1.0,
        } | values

    rows = _money_tables(
        claim=[
            {
                "ClaimNum": 1,
                "PatNum": 1,
                "DateService": "2025-03-01",
                "DateSent": "2025-03-02",
                "ClaimStatus": "R",
                "DateReceived": "2025-04-10",
                "ClaimFee": 1000.0,
                "InsPayEst": 600.0,
                "InsPayAmt": 620.0,
                "ClaimType": "P",
                "ClinicNum": 0,
            },
            {
                "ClaimNum": 2,
                "PatNum": 1,
                "DateService": "2025-03-01",
                "DateSent": BLANK,
                "ClaimStatus": "U",
                "DateReceived": BLANK,
                "ClaimFee": 300.0,
                "InsPayEst": -1.0,
                "InsPayAmt": 0.0,
                "ClaimType": "S",
                "ClinicNum": 0,
            },
            {
                "ClaimNum": 3,
                "PatNum": 1,
                "DateService": "2025-03-01",
                "DateSent": "2025-03-01",
                "ClaimStatus": "S",
                "DateReceived": BLANK,
                "ClaimFee": 900.0,
                "InsPayEst": 400.0,
                "InsPayAmt": 0.0,
                "ClaimType": "PreAuth",
                "ClinicNum": 0,
            },
        ],
        claimproc=[
            cp(1, 1, 600.0, 250.0),  # received: cp-1 600, wo-1 -250
            cp(2, 4, 20.0, 0.0),  # supplemental: cp-2 20, no write-off
            cp(3, 0, 0.0, 150.0),  # not received: neither (its write-off is an estimate)
            cp(4, 7, 0.0, 35.5, claim=0),  # capitation complete: wo-4 -35.50 only
            cp(5, 1, 0.0, 0.0),  # received nothing: neither
            cp(6, 1, 400.0, 10.0, claim=3),  # on a PreAuth claim: left out
            cp(7, 6, 300.0, 80.0, claim=0),  # estimate: neither
        ],
        adjustment=[
            {
                "AdjNum": 1,
                "AdjDate": "2025-03-05",
                "AdjAmt": -40.0,
                "PatNum": 1,
                "AdjType": 20,
                "ClinicNum": 0,
            },
            {
                "AdjNum": 2,
                "AdjDate": "2025-03-05",
                "AdjAmt": -15.0,
                "PatNum": 1,
                "AdjType": 21,
                "ClinicNum": 0,
            },
            {
                "AdjNum": 3,
                "AdjDate": "2025-03-06",
                "AdjAmt": -60.0,
                "PatNum": 1,
                "AdjType": 22,
                "ClinicNum": 0,
            },
            {
                "AdjNum": 4,
                "AdjDate": "2025-03-07",
                "AdjAmt": 12.5,
                "PatNum": 1,
                "AdjType": 23,
                "ClinicNum": 0,
            },
        ],
    )
    result = read(rows, tmp_path)
    pays = by_id(result.frames["payments"], "payment_id")
    assert {k: (v["amount"], v["source"], v["date"]) for k, v in pays.items()} == {
        "cp-1": (Decimal("600.0000"), "insurance", D(2025, 4, 10)),
        "cp-2": (Decimal("20.0000"), "insurance", D(2025, 4, 10)),
    }
    adjs = by_id(result.frames["adjustments"], "adjustment_id")
    assert {k: (v["amount"], v["kind"]) for k, v in adjs.items()} == {
        "1": (Decimal("-40.0000"), "discount"),  # ItemValue dp
        "2": (Decimal("-15.0000"), "discount"),  # name contains "discount"
        "3": (Decimal("-60.0000"), "writeoff"),  # other negative
        "4": (Decimal("12.5000"), "charge"),  # positive
        "wo-1": (Decimal("-250.0000"), "insurance_writeoff"),
        "wo-4": (Decimal("-35.5000"), "insurance_writeoff"),
    }
    claims = by_id(result.frames["claims"], "claim_id")
    assert set(claims) == {"1", "2"}  # the PreAuth claim is not a claim
    assert claims["1"] == {
        "claim_id": "1",
        "practice_id": "main",
        "patient_id": "1",
        "service_date": D(2025, 3, 1),
        "sent_date": D(2025, 3, 2),
        "status": "received",
        "billed_amount": Decimal("1000.0000"),
        "estimate_amount": Decimal("600.0000"),
        "paid_amount": Decimal("620.0000"),
        "received_date": D(2025, 4, 10),
        "carrier": None,  # no insplan or carrier table in this export
    }
    assert claims["2"]["status"] == "unsent"
    assert claims["2"]["estimate_amount"] is None  # -1 = blank estimate
    assert claims["2"]["sent_date"] is None


@pytest.mark.parametrize(
    ("letter", "status"),
    [
        ("U", "unsent"),
        ("W", "unsent"),
        ("H", "hold"),
        ("I", "hold"),
        ("P", "sent"),
        ("S", "sent"),
        ("R", "received"),
    ],
)
def test_claim_status_letters(tmp_path, letter, status):
    rows = tables(
        claim=[
            {
                "ClaimNum": 1,
                "PatNum": 1,
                "DateService": "2025-03-01",
                "ClaimStatus": letter,
                "ClaimFee": 10.0,
                "ClaimType": "P",
            }
        ]
    )
    assert read(rows, tmp_path).frames["claims"]["status"].to_list() == [status]


def test_claim_carrier_through_the_plan(tmp_path):
    def claim(num, plan):
        return {"ClaimNum": num, "PatNum": 1, "DateService": "2025-03-01", "ClaimStatus": "S",
                "ClaimFee": 10.0, "ClaimType": "P", "PlanNum": plan}

    rows = tables(
        claim=[claim(1, 10), claim(2, 11), claim(3, 0), claim(4, 12), claim(5, 99)],
        insplan=[
            {"PlanNum": 10, "CarrierNum": 7},
            {"PlanNum": 11, "CarrierNum": 8},
            {"PlanNum": 12, "CarrierNum": 0},
        ],
        carrier=[{"CarrierNum": 7, "CarrierName": " Delta Dental "},
                 {"CarrierNum": 8, "CarrierName": ""}],
    )
    claims = by_id(read(rows, tmp_path).frames["claims"], "claim_id")
    # 1: plan 10 -> carrier 7 -> "Delta Dental" (trimmed); 2: carrier 8 has no name;
    # 3: PlanNum 0 = no plan; 4: plan without a carrier; 5: plan 99 not in insplan
    assert {k: row["carrier"] for k, row in claims.items()} == {
        "1": "Delta Dental", "2": None, "3": None, "4": None, "5": None,
    }


def test_claim_carrier_null_without_insplan_and_carrier_tables(tmp_path):
    rows = tables(claim=[{"ClaimNum": 1, "PatNum": 1, "DateService": "2025-03-01",
                          "ClaimStatus": "S", "ClaimFee": 10.0, "ClaimType": "P", "PlanNum": 10}])
    assert read(rows, tmp_path).frames["claims"]["carrier"].to_list() == [None]


def test_clinics_are_practices(tmp_path):
    rows = tables(
        clinic=[{"ClinicNum": 2, "Abbr": "NORTH", "Description": "North"}],
        patient=[patient(1, ClinicNum=2), patient(2, ClinicNum=0)],
        procedurelog=[procedure(1, ClinicNum=0), procedure(2, pat=2, ClinicNum=2)],
    )
    result = read(rows, tmp_path, practice="smile")
    assert by_id(result.frames["patients"], "patient_id")["1"]["practice_id"] == "2"
    assert by_id(result.frames["patients"], "patient_id")["2"]["practice_id"] == "smile"
    procs = by_id(result.frames["procedures"], "procedure_id")
    # the procedure's own clinic, not its patient's
    assert (procs["1"]["practice_id"], procs["2"]["practice_id"]) == ("smile", "2")
    assert "practice 2 = Open Dental clinic NORTH" in result.notes
    # clinics turned off (no clinic rows): every row is the practice given
    rows.pop("clinic")
    off = read(rows, tmp_path / "off")
    assert set(off.frames["procedures"]["practice_id"]) == {"main"}


def test_deleted_patients_counted_not_loaded(tmp_path):
    rows = tables(
        patient=[patient(1), patient(2, PatStatus=4)],
        procedurelog=[procedure(1), procedure(2, pat=2), procedure(3, pat=2)],
        appointment=[appointment(1, pat=2)],
    )
    result = read(rows, tmp_path)
    assert result.frames["patients"]["patient_id"].to_list() == ["1"]
    assert result.frames["procedures"]["procedure_id"].to_list() == ["1"]
    assert result.frames["appointments"].is_empty()
    assert result.rejects == []  # dropped with a note, not quarantined
    assert "1 deleted patient(s) (PatStatus 4) counted, not loaded" in result.notes
    assert "2 procedurelog row(s) of deleted patients not loaded" in result.notes
    # the raw rows for reconciliation keep them (Open Dental's reports count them)
    assert result.extra_tables["od_procedurelog"].height == 3


def test_patient_fields_first_visit_referral_phone(tmp_path):
    rows = tables(
        patient=[
            patient(1, WirelessPhone="555-0101", HmPhone="555-0102", Email="a@example.test"),
            patient(2, HmPhone="555-0202", WkPhone="555-0203", PatStatus=6),
            patient(3, WkPhone="555-0303", PatStatus=5, Birthdate="1970-02-03"),
            patient(4, PatStatus=1),
            patient(5, PatStatus=2),
            patient(6, PatStatus=3),
        ],
        procedurelog=[
            # patient 1: a missed-appointment fee (D9986) before the first real visit
            procedure(1, CodeNum=2, ProcStatus=2, ProcDate="2025-01-03"),
            procedure(2, CodeNum=3, ProcStatus=2, ProcDate="2025-01-08"),
            procedure(3, CodeNum=1, ProcStatus=2, ProcDate="2025-02-08"),
            procedure(4, pat=2, ProcStatus=1),  # planned only: no first visit
        ],
        referral=[
            {"ReferralNum": 1, "LName": "", "FName": "", "BusinessName": "Google", "SSN": "1"},
            {"ReferralNum": 2, "LName": " Smith", "FName": "John ", "BusinessName": "", "SSN": "2"},
        ],
        refattach=[
            {"RefAttachNum": 1, "ReferralNum": 1, "PatNum": 1, "ItemOrder": 2, "RefType": 1},
            {"RefAttachNum": 2, "ReferralNum": 2, "PatNum": 1, "ItemOrder": 1, "RefType": 1},
            {"RefAttachNum": 3, "ReferralNum": 1, "PatNum": 2, "ItemOrder": 1, "RefType": 0},
            {"RefAttachNum": 4, "ReferralNum": 1, "PatNum": 3, "ItemOrder": 1, "RefType": 1},
        ],
    )
    result = read(rows, tmp_path)
    pats = by_id(result.frames["patients"], "patient_id")
    assert {k: v["status"] for k, v in pats.items()} == {
        "1": "active",
        "2": "prospective",
        "3": "deceased",
        "4": "nonpatient",
        "5": "inactive",
        "6": "archived",
    }
    assert pats["1"]["first_visit_date"] == D(2025, 1, 8)
    assert pats["2"]["first_visit_date"] is None
    assert pats["1"]["referral_source"] == "John Smith"  # lowest ItemOrder, a person
    assert pats["2"]["referral_source"] is None  # RefType 0 is a referral out
    assert pats["3"]["referral_source"] == "Google"
    assert [pats[k]["phone"] for k in "123"] == ["555-0101", "555-0202", "555-0303"]
    assert pats["1"]["email"] == "a@example.test"
    assert pats["2"]["email"] is None
    assert pats["3"]["birth_date"] == D(1970, 2, 3)
    assert (pats["1"]["first_name"], pats["1"]["last_name"]) == ("First1", "Last1")


def test_team_from_providers_and_users(tmp_path):
    rows = tables(
        provider=[
            {
                "ProvNum": 1,
                "Abbr": "DOC",
                "FName": "Dana",
                "LName": "Molar",
                "IsSecondary": 0,
                "SSN": "111",
            },
            {"ProvNum": 2, "Abbr": "HYG", "FName": "", "LName": "", "IsSecondary": 1, "SSN": "222"},
        ],
        userod=[{"UserNum": 3, "UserName": "frontdesk", "Password": "pw-hash"}],
    )
    team = by_id(read(rows, tmp_path).frames["team"], "member_id")
    assert {k: (v["name"], v["role"]) for k, v in team.items()} == {
        "prov-1": ("Dana Molar", "dentist"),
        "prov-2": ("HYG", "hygienist"),
        "user-3": ("frontdesk", "other"),
    }


def _everything(result) -> str:
    parts = [repr(frame.to_dicts()) for frame in result.frames.values()]
    parts += [repr(frame.to_dicts()) for frame in result.extra_tables.values()]
    parts += [repr(r) for r in result.rejects] + result.notes
    return "\n".join(parts)


def test_csv_quoting_extra_columns_big_keys_and_no_secrets(tmp_path):
    big = 9_007_199_254_740_993  # 2^53 + 1: a float would read 9007199254740992
    rows = tables(
        patient=[
            patient(
                big,
                LName='O"Brien, Jr.\nthe second',
                AddrNote="a,\nb",
                Password="never",
                SSN="123-45-6789",
            )
        ],
        procedurelog=[procedure(big + 2, pat=big, NewerColumn="ignored")],
        userod=[{"UserNum": 1, "UserName": "u", "Password": "hunter2-hash"}],
        treatplan=[
            {
                "TreatPlanNum": 1,
                "PatNum": big,
                "DateTP": "2025-01-10",
                "TPStatus": 0,
                "UserNumPresenter": 1,
                "Signature": "SIGNATURE-BLOB",
                "DateTSigned": BLANK_DT,
            }
        ],
    )
    result = read(rows, tmp_path)
    pats = result.frames["patients"]
    assert pats["patient_id"].to_list() == ["9007199254740993"]
    assert pats["last_name"].to_list() == ['O"Brien, Jr.\nthe second']
    assert result.frames["procedures"]["procedure_id"].to_list() == ["9007199254740995"]
    text = _everything(result)
    for secret in ("123-45-6789", "hunter2-hash", "SIGNATURE-BLOB", "never"):
        assert secret not in text


def test_tab_separated_mysql_batch_rules(tmp_path):
    rows = tables(
        patient=[
            patient(1, LName="Tab\there", FName="back\\slash"),
            patient(2, LName="two\nlines", Email=None),
        ],
        procedurelog=[procedure(1)],
    )
    csv_result = read(rows, tmp_path / "csv")
    tab_result = read(rows, tmp_path / "tab", tab=True)
    assert (tmp_path / "tab" / "patient.txt").read_text().count("\\t") == 1  # escaped on disk
    pats = by_id(tab_result.frames["patients"], "patient_id")
    assert pats["1"]["last_name"] == "Tab\there"
    assert pats["1"]["first_name"] == "back\\slash"
    assert pats["2"]["last_name"] == "two\nlines"
    assert pats["2"]["email"] is None  # NULL
    for name in csv_result.frames:
        assert csv_result.frames[name].equals(tab_result.frames[name]), name


def test_missing_required_column_or_table(tmp_path):
    rows = tables()
    rows["procedurelog"] = [{k: v for k, v in procedure(1).items() if k != "ProcFee"}]
    with pytest.raises(OpenDentalError, match=r"procedurelog.csv: missing column\(s\) ProcFee"):
        read(rows, tmp_path / "a")
    rows = tables()
    rows.pop("procedurecode")
    with pytest.raises(OpenDentalError, match="procedurecode"):
        read(rows, tmp_path / "b")


def test_unparseable_values_are_quarantined_with_table_and_key(tmp_path):
    rows = tables(
        procedurelog=[
            procedure(1, ProcFee="12,50"),
            procedure(2, ProcDate="2025-02-30", ProcStatus=2),
            procedure(3, ProcStatus=2, ProcDate=BLANK),
            procedure(4),
        ],
    )
    result = read(rows, tmp_path)
    assert result.frames["procedures"]["procedure_id"].to_list() == ["4"]
    assert sorted(r.reason for r in result.rejects) == [
        "procedurelog ProcNum 1: unparseable ProcFee 12,50",
        "procedurelog ProcNum 2: unparseable ProcDate 2025-02-30",
        "procedurelog ProcNum 3: completed (ProcStatus 2) without ProcDate",
    ]
    assert [r.key for r in sorted(result.rejects, key=lambda r: r.key)] == ["1", "2", "3"]


def test_detection_folder_zip_and_nested(tmp_path):
    rows = tables()
    folder = tmp_path / "export"
    read(rows, folder)
    assert looks_like_opendental(folder)
    archive = tmp_path / "od.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.iterdir():
            zf.write(path, f"opendental/{path.name}")
    assert looks_like_opendental(archive)
    assert read_folder(archive, today=TODAY).frames["procedures"].height == 1
    standard = tmp_path / "standard"
    standard.mkdir()
    (standard / "patients.csv").write_text("patient_id,first_name,last_name\n1,a,b\n")
    (standard / "procedures.csv").write_text("procedure_id\n")
    assert not looks_like_opendental(standard)


def test_frames_have_the_standard_columns_and_types(tmp_path):
    from pipelines.schema import TABLES

    # only the standard tables whose Open Dental tables were exported are handed over
    result = read(tables(), tmp_path / "minimal")
    assert list(result.frames) == ["patients", "procedures"]
    result = read(
        tables(
            claimproc=[
                {
                    "ClaimProcNum": 1,
                    "PatNum": 1,
                    "Status": 1,
                    "InsPayAmt": 5.0,
                    "WriteOff": 0.0,
                    "DateCP": "2025-01-02",
                }
            ]
        ),
        tmp_path / "claimproc",
    )
    assert list(result.frames) == ["patients", "procedures", "payments", "adjustments"]
    assert result.frames["payments"]["payment_id"].to_list() == ["cp-1"]
    result = read(tables(), tmp_path)
    for name, frame in result.frames.items():
        assert tuple(frame.columns) == TABLES[name].column_names, name
    assert str(result.frames["procedures"].schema["fee"]) == "Decimal(precision=18, scale=4)"
    result = read(tables(appointment=[appointment(1)]), tmp_path / "appointments")
    assert (
        str(result.frames["appointments"].schema["start"])
        == "Datetime(time_unit='us', time_zone=None)"
    )


def test_duplicate_keys_quarantine_both_rows(tmp_path):
    rows = tables(procedurelog=[procedure(1), procedure(1, ProcFee=90.0), procedure(2)])
    result = read(rows, tmp_path)
    assert result.frames["procedures"]["procedure_id"].to_list() == ["2"]
    assert [r.reason for r in result.rejects] == [
        "procedurelog ProcNum 1: ProcNum appears more than once",
        "procedurelog ProcNum 1: ProcNum appears more than once",
    ]
    assert [r.row for r in result.rejects] == [2, 3]  # spreadsheet rows (header = 1)


def test_windows_1252_and_bom_exports(tmp_path):
    rows = tables(patient=[patient(1, LName="Muñoz", FName="José")], procedurelog=[procedure(1)])
    folder = tmp_path / "export"
    read(rows, folder)
    text = (folder / "patient.csv").read_text(encoding="utf-8")
    (folder / "patient.csv").write_bytes(text.encode("cp1252"))  # a Windows export
    (folder / "procedurelog.csv").write_bytes(  # UTF-8 with a byte-order mark
        b"\xef\xbb\xbf" + (folder / "procedurelog.csv").read_bytes()
    )
    result = read_folder(folder, today=TODAY)
    pats = result.frames["patients"]
    assert (pats["last_name"][0], pats["first_name"][0]) == ("Muñoz", "José")
    assert result.frames["procedures"]["procedure_id"].to_list() == ["1"]


def test_rejects_name_the_source_table_and_rows_are_spreadsheet_rows(tmp_path):
    rows = tables(
        procedurelog=[procedure(1), procedure(2, pat=99)],
        claimproc=[
            {
                "ClaimProcNum": 7,
                "PatNum": 99,
                "Status": 1,
                "InsPayAmt": 5.0,
                "WriteOff": 0.0,
                "DateCP": "2025-01-02",
            }
        ],
    )
    result = read(rows, tmp_path)
    got = sorted((r.table, r.file, r.row, r.reason) for r in result.rejects)
    assert got == [
        (
            "payments",
            "claimproc.csv",
            2,
            "claimproc ClaimProcNum 7: PatNum 99 is not a loaded patient",
        ),
        (
            "procedures",
            "procedurelog.csv",
            3,
            "procedurelog ProcNum 2: PatNum 99 is not a loaded patient",
        ),
    ]
    # the loader gets each kept row's spreadsheet row (procedure 1 is on row 2)
    assert result.row_numbers["procedures"].to_list() == [2]
    assert "payments" not in result.row_numbers  # rows from two files (paysplit, claimproc)
