"""Loads: one batch each, idempotent, newer wins by key, --full marks removed, sources apart."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import duckdb
import pytest

from caseboard.views import ensure_schema
from pipelines.ingest import ingest_paths
from pipelines.model import ExportRefused

PROC_HEADER = "procedure_id,patient_id,code,fee,status,diagnosed_date,completed_date\n"


def test_same_files_again_change_nothing(export, db, query):
    """The data keeps its batch; the load history still shows the export was read again."""
    export.minimal()
    first = ingest_paths([export.folder], db=db, practice_id="A")
    again = ingest_paths([export.folder], db=db, practice_id="A")
    assert first.unchanged is False and first.batch_id == 1
    assert again.unchanged is True and again.batch_id == 1
    assert again.to_json()["unchanged"] is True
    assert query(db, "select batch_id, unchanged from loads order by 1") == [(1, False),
                                                                             (2, True)]
    assert query(db, "select distinct batch_id from raw_patients") == [(1,)]
    third = ingest_paths([export.folder], db=db, practice_id="A")
    assert third.unchanged is True and third.batch_id == 1


def test_same_rows_in_new_files_record_a_batch_but_touch_no_row(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    # the same rows, semicolon-separated: new checksums, same data
    export.write("patients.csv", "patient_id;first_name;last_name;status\n"
                                 "1001;Ann;Lee;active\n1002;Bob;Ray;\n")
    second = ingest_paths([export.folder], db=db, practice_id="A")
    assert (second.unchanged, second.batch_id, second.changed_rows) == (False, 2, 0)
    assert query(db, "select patient_id, batch_id from raw_patients order by 1") == [
        ("1001", 1), ("1002", 1)
    ]


def test_newer_overlapping_export_wins_by_key(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    newer = export.folder.parent / "newer"
    newer.mkdir()
    (newer / "patients.csv").write_text("patient_id,first_name,last_name\n1003,Cy,Day\n")
    (newer / "procedures.csv").write_text(PROC_HEADER + (
        "P2,1002,D1110,99.00,completed,2025-03-01,2025-03-15\n"   # changed: fee and status
        "P3,1003,D0120,40,planned,2025-04-01,\n"                  # new
    ))
    summary = ingest_paths([newer], db=db, practice_id="A")
    assert summary.changed_rows == 3  # P2 updated, P3 and patient 1003 inserted
    assert query(db, "select procedure_id, fee, status, completed_date, batch_id, "
                     "removed_batch_id from raw_procedures order by 1") == [
        ("P1", Decimal("1200.0000"), "completed", dt.date(2025, 2, 10), 1, None),
        ("P2", Decimal("99.0000"), "completed", dt.date(2025, 3, 15), 2, None),
        ("P3", Decimal("40.0000"), "planned", None, 2, None),
    ]


def test_full_export_marks_absent_rows_removed_and_they_come_back(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    export.write("procedures.csv", PROC_HEADER + "P1,1001,D2740,1200.00,completed,2025-02-03,"
                                                 "2025-02-10\n")
    full = ingest_paths([export.folder], db=db, practice_id="A", full=True)
    assert (full.batch_id, full.removed_rows, full.changed_rows) == (2, 1, 0)
    assert query(db, "select procedure_id, removed_batch_id from raw_procedures order by 1") == [
        ("P1", None), ("P2", 2)
    ]
    # P2 is kept, flagged; loading it again (not --full) makes it live again
    export.write("procedures.csv", PROC_HEADER + "P2,1002,D1110,95.50,planned,2025-03-01,\n")
    ingest_paths([export.folder], db=db, practice_id="A")
    assert query(db, "select procedure_id, batch_id, removed_batch_id from raw_procedures "
                     "order by 1") == [("P1", 1, None), ("P2", 3, None)]


def test_full_export_leaves_other_practices_and_sources_alone(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A", source_id="S")
    ingest_paths([export.folder], db=db, practice_id="B", source_id="S2")
    export.write("procedures.csv", PROC_HEADER)
    export.write("patients.csv", "patient_id,practice_id,first_name,last_name\n"
                                 "1001,A,Ann,Lee\n1002,A,Bob,Ray\n")
    ingest_paths([export.folder], db=db, practice_id="A", source_id="S", full=True)
    assert query(db, "select source_id, procedure_id, removed_batch_id from raw_procedures "
                     "order by 1, 2") == [("S", "P1", 3), ("S", "P2", 3),
                                          ("S2", "P1", None), ("S2", "P2", None)]


def test_full_export_keeps_the_last_good_version_of_a_refused_row(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="A")
    export.write("procedures.csv", PROC_HEADER + (
        "P1,1001,D2740,1200.00,completed,2025-02-03,2025-02-10\n"
        "P2,1002,D1110,95.50,planned,2025-02-30,\n"   # now unparseable: refused, key present
    ))
    summary = ingest_paths([export.folder], db=db, practice_id="A", full=True)
    assert summary.removed_rows == 0
    assert query(db, "select procedure_id, diagnosed_date, removed_batch_id from raw_procedures "
                     "order by 1") == [("P1", dt.date(2025, 2, 3), None),
                                       ("P2", dt.date(2025, 3, 1), None)]


def test_same_ids_in_two_sources_stay_two_rows(export, db, query):
    export.minimal()
    ingest_paths([export.folder], db=db, practice_id="north")
    ingest_paths([export.folder], db=db, practice_id="south")
    assert query(db, "select source_id, patient_id, practice_id from raw_patients "
                     "where patient_id = '1001' order by 1") == [
        ("north", "1001", "north"), ("south", "1001", "south")
    ]
    assert query(db, "select source_id, count(*) from raw_procedures group by 1 order by 1") == [
        ("north", 2), ("south", 2)
    ]


def test_batch_records_checksums_counts_format_and_practices(export, db, query):
    export.minimal()
    summary = ingest_paths([export.folder], db=db, practice_id="A", source_id="main")
    ((batch, source, fmt, practices, full, files, counts, unchanged),) = query(
        db, "select batch_id, source_id, format, practices, full_export, files, counts, "
            "unchanged from loads"
    )
    assert (batch, source, fmt, practices, full, unchanged) == (
        1, "main", "standard", ["A"], False, False
    )
    import hashlib

    digest = hashlib.sha256((export.folder / "patients.csv").read_bytes()).hexdigest()
    assert {f["name"]: f["sha256"] for f in json.loads(files)}["patients.csv"] == digest
    assert json.loads(counts) == summary.tables


def test_rows_without_any_practice_refuse_the_load(export, db):
    export.minimal()
    with pytest.raises(ExportRefused):
        ingest_paths([export.folder], db=db)
    assert not db.exists()


ALL_TABLES = {
    "patients.csv": (
        "patient_id,practice_id,first_name,last_name,phone,email,birth_date,status,"
        "first_visit_date,referral_source\n"
        "1,A,Ann,Lee,555-0101,ann@example.org,1980-02-03,active,2020-01-02,Google\n"
    ),
    "team.csv": "member_id,name,role\nT1,Dr Ho,dentist\nT2,Kim,coordinator\n",
    "treatment_plans.csv": (
        "plan_id,patient_id,presented_date,presenter_id,status,signed_date\n"
        "TP1,1,2025-01-05,T2,active,2025-01-06\n"
    ),
    "procedures.csv": (
        "procedure_id,patient_id,plan_id,provider_id,code,description,fee,status,diagnosed_date,"
        "scheduled_date,appointment_date,completed_date\n"
        "P1,1,TP1,T1,D2740,Crown,$1,234.50,completed,2025-01-05,2025-01-07,2025-02-01,2025-02-01\n"
    ).replace("$1,234.50", '"$1,234.50"'),
    "appointments.csv": (
        "appointment_id,patient_id,start,status,booked_at,provider_id\n"
        "AP1,1,2025-02-01 09:30,completed,2025-01-07 16:00,T1\n"
    ),
    "payments.csv": (
        "payment_id,patient_id,date,amount,source,method\nPY1,1,2025-02-01,(100.00),patient,Visa\n"
    ),
    "adjustments.csv": (
        "adjustment_id,patient_id,date,amount,kind\nAD1,1,2025-02-02,-25.5,insurance_writeoff\n"
    ),
    "claims.csv": (
        "claim_id,patient_id,service_date,sent_date,status,billed_amount,estimate_amount,"
        "paid_amount,received_date,carrier\nC1,1,2025-02-01,2025-02-02,received,1234.5,800,"
        "790.25,2025-03-01,Delta Dental\n"
    ),
}


def content(query, db, table):
    """Every row of a raw table without the bookkeeping columns, in key order."""
    return query(db, CONTENT, [table])


CONTENT = (
    "select * exclude (batch_id, row_hash, removed_batch_id) from query_table(?) order by 2"
)


def test_every_table_and_column_round_trips(export, db, query):
    for name, text in ALL_TABLES.items():
        export.write(name, text)
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    assert summary.rejects == []
    assert summary.changed_rows == 9  # 1 patient, 2 team, 1 of each of the other six tables
    d = dt.date
    assert content(query, db, "raw_patients") == [(
        "A", "1", "A", "Ann", "Lee", "555-0101", "ann@example.org", d(1980, 2, 3), "active",
        d(2020, 1, 2), "Google")]
    assert content(query, db, "raw_team") == [
        ("A", "T1", "A", "Dr Ho", "dentist"), ("A", "T2", "A", "Kim", "coordinator")]
    assert content(query, db, "raw_treatment_plans") == [
        ("A", "TP1", "A", "1", d(2025, 1, 5), "T2", "active", d(2025, 1, 6))]
    assert content(query, db, "raw_procedures") == [(
        "A", "P1", "A", "1", "TP1", "T1", "D2740", "Crown", Decimal("1234.5000"), "completed",
        d(2025, 1, 5), d(2025, 1, 7), d(2025, 2, 1), d(2025, 2, 1))]
    assert content(query, db, "raw_appointments") == [(
        "A", "AP1", "A", "1", dt.datetime(2025, 2, 1, 9, 30), "completed",
        dt.datetime(2025, 1, 7, 16, 0), "T1")]
    assert content(query, db, "raw_payments") == [
        ("A", "PY1", "A", "1", d(2025, 2, 1), Decimal("-100.0000"), "patient", "Visa")]
    assert content(query, db, "raw_adjustments") == [
        ("A", "AD1", "A", "1", d(2025, 2, 2), Decimal("-25.5000"), "insurance_writeoff")]
    assert content(query, db, "raw_claims") == [(
        "A", "C1", "A", "1", d(2025, 2, 1), d(2025, 2, 2), "received", Decimal("1234.5000"),
        Decimal("800.0000"), Decimal("790.2500"), d(2025, 3, 1), "Delta Dental")]


CLAIMS_WITHOUT_CARRIER = (
    "claim_id,patient_id,service_date,status,billed_amount\nC1,1001,2025-02-01,sent,100\n"
)


def test_claims_without_a_carrier_column_load_with_carrier_null(export, db, query):
    export.minimal()
    export.write("claims.csv", CLAIMS_WITHOUT_CARRIER)
    summary = ingest_paths([export.folder], db=db, practice_id="A")
    assert summary.rejects == []
    assert query(db, "select claim_id, carrier from raw_claims") == [("C1", None)]


def test_a_database_from_before_carriers_gets_the_column(export, db, query):
    con = duckdb.connect(str(db))
    ensure_schema(con)
    con.execute("alter table raw_claims drop column carrier")  # as databases made before it
    con.close()
    export.minimal()
    export.write("claims.csv", "claim_id,patient_id,service_date,status,billed_amount,carrier\n"
                               "C1,1001,2025-02-01,sent,100,Aetna\n")
    ingest_paths([export.folder], db=db, practice_id="A")
    assert query(db, "select claim_id, carrier from raw_claims") == [("C1", "Aetna")]
