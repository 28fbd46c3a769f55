"""Open Dental tables as other tools write them (a Postgres replica's CSV dump); future dates."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from caseboard.cli import main as cli
from pipelines.ingest import ingest_paths

# A Postgres replica writes booleans t/f, NULL as an empty field, timestamps with a zone.
REPLICA = {
    "patient.csv": (
        "PatNum,LName,FName,PatStatus,Birthdate,ClinicNum\n"
        "1,Last1,First1,0,,\n"
        "2,Last2,First2,0,1980-05-01,0\n"
    ),
    "procedurecode.csv": "CodeNum,ProcCode,Descript\n1,D2740,Crown\n",
    "procedurelog.csv": (
        "ProcNum,PatNum,ProcDate,ProcFee,ProcStatus,CodeNum,AptNum,ProvNum,ClinicNum,DateTP\n"
        "1,1,2025-03-05,800,2,1,1,1,,\n"
        "2,2,2025-03-01,500,1,1,,2,,\n"
    ),
    "appointment.csv": (
        "AptNum,PatNum,AptStatus,AptDateTime,ProvNum,ClinicNum,SecDateTEntry\n"
        "1,1,2,2025-03-05 09:00:00+00,1,,\n"
    ),
    "provider.csv": (
        "ProvNum,Abbr,FName,LName,IsSecondary\n"
        "1,DOC,Ann,Doe,f\n"
        "2,HYG,Hy,Gienist,t\n"
    ),
    "definition.csv": "DefNum,Category,ItemName,ItemValue\n10,10,Visa,\n",
    "payment.csv": "PayNum,PayType\n1,10\n2,99\n",
    "paysplit.csv": (
        "SplitNum,SplitAmt,PatNum,PayNum,DatePay,ClinicNum,UnearnedType,ProcNum\n"
        "1,300,1,1,2025-03-06,,,\n"
        "2,50,1,2,2025-03-07,,,\n"
    ),
    "claim.csv": (
        "ClaimNum,PatNum,DateService,ClaimStatus,ClaimFee,DateSent,DateReceived,InsPayEst,"
        "InsPayAmt,ClaimType,ClinicNum\n"
        "1,1,2025-03-05,S,,2025-03-06,,,,P,\n"
    ),
}


def _write(folder, files: dict[str, str]):
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def _rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_a_postgres_replica_export_loads_with_warnings(tmp_path, capsys):
    db = tmp_path / "od.duckdb"
    summary = ingest_paths([_write(tmp_path / "replica", REPLICA)], db=db)
    assert summary.rejects == []
    # a blank ClaimFee is 0, not a reason to quarantine the claim
    assert _rows(db, "select claim_id, status, billed_amount from stg_claims") == [("1", "sent", 0)]
    assert "claim.ClaimFee blank on 1 row(s): read as 0" in summary.notes
    # t/f booleans: IsSecondary t is a hygienist, f a dentist
    assert _rows(db, "select member_id, role from stg_team order by 1") == [
        ("prov-1", "dentist"), ("prov-2", "hygienist")
    ]
    # a payment type missing from definition loads without a method, with a warning
    assert _rows(db, "select payment_id, amount, method from stg_payments order by 1") == [
        ("split-1", 300, "Visa"), ("split-2", 50, None)
    ]
    warnings = [note for note in summary.notes if note.startswith("warning: ")]
    assert any("1 paysplit row(s) of payments whose type (PayType) is not in definition"
               in note for note in warnings)
    # columns the metrics depend on, blank on every row, are named with what they break
    assert any(note.startswith("warning: appointment.SecDateTEntry is blank on every row")
               for note in warnings)
    assert any(note.startswith("warning: procedurelog.DateTP is blank on every row")
               for note in warnings)
    # the warnings are kept with the batch (the Data page lists them)
    kept = [note for (note,) in _rows(db, "select note from load_notes")]
    assert all(warning in kept for warning in warnings)
    # and the outstanding claim counts: 1 claim, $0 billed
    capsys.readouterr()
    assert cli(["metrics", "--db", str(db), "--json", "--as-of", "2025-03-31"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["claims_outstanding"]["count"] == 1


def test_a_claim_dated_after_the_load_day_never_sets_the_default_as_of(tmp_path, capsys):
    future = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=31)
    files = dict(REPLICA)
    files["claim.csv"] = files["claim.csv"].replace(
        "1,1,2025-03-05,S,,2025-03-06", f"1,1,{future.isoformat()},S,,2025-03-06"
    )
    db = tmp_path / "od.duckdb"
    ingest_paths([_write(tmp_path / "future", files)], db=db)
    capsys.readouterr()
    assert cli(["metrics", "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # newest event on or before the load day: split-2 paid 2025-03-07 (the claim's service date
    # is a month after the load, a data error)
    assert out["as_of"] == "2025-03-07"
