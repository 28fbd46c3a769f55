"""An Open Dental database left to load itself: deletions, grants, stalls, two databases.

Every test here runs against the real MariaDB server of conftest.py.
"""

from __future__ import annotations

import hashlib
import socket
import threading
import time

import duckdb
import pytest

from caseboard.cli import main as cli
from pipelines.ingest import ingest_paths
from pipelines.model import ExportRefused
from pipelines.opendental_sample import write_folder
from tests.opendental.odfixtures import appointment, patient, procedure, tables

pytestmark = pytest.mark.mariadb

LIMITED = "od_limited"
LIMITED_PASSWORD = "l1mited-pw"


def _office(**extra) -> dict[str, list[dict]]:
    """Patient 1 with a completed crown, a Visa payment of 100, a sent claim and an appointment."""
    return tables(
        procedurelog=[procedure(1, ProcStatus=2, ProcDate="2025-03-05", AptNum=1)],
        appointment=[appointment(1, AptDateTime="2025-03-05 09:00:00")],
        provider=[{"ProvNum": 1, "Abbr": "DOC", "FName": "Ann", "LName": "Doe"}],
        definition=[{"DefNum": 10, "Category": 10, "ItemName": "Visa", "ItemValue": ""}],
        payment=[{"PayNum": 1, "PayType": 10, "PayDate": "2025-03-06", "PayAmt": 100.0}],
        paysplit=[
            {"SplitNum": 1, "SplitAmt": 100.0, "PatNum": 1, "PayNum": 1, "DatePay": "2025-03-06"}
        ],
        claim=[
            {
                "ClaimNum": 1,
                "PatNum": 1,
                "DateService": "2025-03-05",
                "DateSent": "2025-03-06",
                "ClaimStatus": "S",
                "ClaimFee": 100.0,
                "InsPayEst": 60.0,
                "InsPayAmt": 0.0,
                "ClaimType": "P",
                "PlanNum": 5,
            }
        ],
        insplan=[{"PlanNum": 5, "CarrierNum": 3}],
        carrier=[{"CarrierNum": 3, "CarrierName": "Delta Dental"}],
    ) | extra


TEXT_WITHOUT_DEFAULT = {"patient": "AddrNote", "appointment": "Note", "treatplan": "Signature",
                        "adjustment": "AdjNote"}


def _create(mariadb, name: str, rows: dict[str, list[dict]]) -> None:
    """Create the database, filling the text columns MariaDB has no default for."""
    filled = {
        table: [{TEXT_WITHOUT_DEFAULT[table]: ""} | row if table in TEXT_WITHOUT_DEFAULT else row
                for row in table_rows]
        for table, table_rows in rows.items()
    }
    mariadb.create_database(name, filled)


def _live(db, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _delete(mariadb, database: str, *statements: str) -> None:
    con = mariadb.root(database)
    try:
        with con.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        con.close()


# ------------------------------------------------------------------ 1. deletions


def test_rows_deleted_in_open_dental_leave_without_full(mariadb, tmp_path):
    _create(mariadb, "od_deletes", _office())
    url, db = mariadb.url("od_deletes"), tmp_path / "od.duckdb"
    first = ingest_paths([url], db=db)  # no --full
    assert first.full  # a live database is a complete snapshot
    assert _live(db, "select count(*) from stg_payments") == [(1,)]
    assert _live(db, "select count(*) from stg_claims") == [(1,)]
    # claim 1 -> plan 5 -> carrier 3, read live from the database
    assert _live(db, "select carrier from stg_claims") == [("Delta Dental",)]
    assert _live(db, "select count(*) from stg_appointments") == [(1,)]

    _delete(
        mariadb,
        "od_deletes",
        "DELETE FROM paysplit WHERE SplitNum = 1",
        "DELETE FROM payment WHERE PayNum = 1",
        "DELETE FROM claim WHERE ClaimNum = 1",
        "DELETE FROM appointment WHERE AptNum = 1",
    )
    second = ingest_paths([url], db=db)  # still no --full
    # split-1, claim 1 and appointment 1 are marked removed (kept, never deleted)
    assert second.removed_rows == 3
    assert _live(db, "select count(*) from stg_payments") == [(0,)]
    assert _live(db, "select count(*) from stg_claims") == [(0,)]
    assert _live(db, "select count(*) from stg_appointments") == [(0,)]
    assert _live(
        db, "select removed_batch_id from raw_payments where payment_id = 'split-1'"
    ) == [(second.batch_id,)]
    # the procedure is no longer on an appointment: its appointment date is gone
    assert _live(db, "select appointment_date from stg_procedures") == [(None,)]


def test_a_full_table_export_carries_deletions_too(tmp_path):
    db = tmp_path / "od.duckdb"
    ingest_paths([write_folder(_office(), tmp_path / "one")], db=db)
    smaller = _office(paysplit=[], claim=[])
    # no paysplit.csv at all would mean "not exported"; an empty table is a header only
    folder = write_folder(smaller, tmp_path / "two")
    (folder / "paysplit.csv").write_text("SplitNum,SplitAmt,PatNum,PayNum,DatePay\r\n")
    (folder / "claim.csv").write_text("ClaimNum,PatNum,DateService,ClaimStatus,ClaimFee\r\n")
    summary = ingest_paths([folder], db=db)
    assert summary.full and summary.removed_rows == 2  # split-1 and claim 1
    assert _live(db, "select count(*) from stg_payments") == [(0,)]
    assert _live(db, "select count(*) from stg_claims") == [(0,)]


# ------------------------------------------------------------------ 2. grants


def _limited_user(mariadb, database: str, grants: list[str]) -> str:
    con = mariadb.root()
    try:
        with con.cursor() as cursor:
            cursor.execute(f"DROP USER IF EXISTS '{LIMITED}'@'127.0.0.1'")
            cursor.execute(
                f"CREATE USER '{LIMITED}'@'127.0.0.1' IDENTIFIED BY %s", [LIMITED_PASSWORD]
            )
            for grant in grants:
                cursor.execute(f"{grant} TO '{LIMITED}'@'127.0.0.1'")
    finally:
        con.close()
    return f"mysql://{LIMITED}:{LIMITED_PASSWORD}@127.0.0.1:{mariadb.port}/{database}"


TABLES = (
    "patient", "procedurelog", "procedurecode", "treatplan", "proctp", "appointment", "payment",
    "paysplit", "adjustment", "claim", "claimproc", "provider", "userod", "definition",
    "refattach", "referral", "clinic", "insplan", "carrier",
)


@pytest.mark.parametrize(
    ("missing", "expected_grant"),
    [
        ("paysplit", "GRANT SELECT ON `od_grants`.`paysplit` TO 'od_limited'@'127.0.0.1';"),
        ("clinic", "GRANT SELECT ON `od_grants`.`clinic` TO 'od_limited'@'127.0.0.1';"),
        (
            "appointment.SecDateTEntry",
            "GRANT SELECT (`SecDateTEntry`) ON `od_grants`.`appointment` TO "
            "'od_limited'@'127.0.0.1';",
        ),
    ],
)
def test_a_missing_grant_refuses_the_load_naming_the_grant(
    mariadb, tmp_path, capsys, missing, expected_grant
):
    if "od_grants" not in _databases(mariadb):
        _create(mariadb, "od_grants", _office())
    db = tmp_path / "od.duckdb"
    assert ingest_paths([mariadb.url("od_grants")], db=db, source_id="office").batch_id == 1
    before = _digest(db)
    grants = []
    for table in TABLES:
        if table == missing:
            continue
        if missing == f"{table}.SecDateTEntry":
            grants.append(
                f"GRANT SELECT (AptNum, PatNum, AptStatus, AptDateTime, ProvNum, ClinicNum) "
                f"ON `od_grants`.`{table}`"
            )
        else:
            grants.append(f"GRANT SELECT ON `od_grants`.`{table}`")
    url = _limited_user(mariadb, "od_grants", grants)
    capsys.readouterr()
    code = cli(["ingest", url, "--db", str(db), "--source", "office"])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: nothing was loaded" in err
    assert f"may not read {'column' if '.' in missing else 'table'} {missing}" in err
    assert expected_grant in err
    assert LIMITED_PASSWORD not in err and "Traceback" not in err
    assert _digest(db) == before  # the database is exactly as it was


def _databases(mariadb) -> set[str]:
    con = mariadb.root()
    try:
        with con.cursor() as cursor:
            cursor.execute("SHOW DATABASES")
            return {row[0] for row in cursor.fetchall()}
    finally:
        con.close()


# ------------------------------------------------------------------ 3. a stalled server


@pytest.fixture
def stalled_server():
    """A TCP port that accepts connections and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def test_a_stalled_server_times_out_cleanly(stalled_server, tmp_path, capsys):
    db = tmp_path / "od.duckdb"
    started = time.monotonic()
    code = cli([
        "ingest", f"mysql://reader:secret@127.0.0.1:{stalled_server}/opendental",
        "--db", str(db), "--timeout", "1",
    ])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 1
    assert "no answer from the server within 1 s" in err
    assert "Traceback" not in err and "secret" not in err
    assert elapsed < 60  # not forever (1 s wait; the rest is a busy machine's slack)
    assert not db.exists()  # nothing was written


def test_a_lost_connection_is_one_clean_refusal(tmp_path, capsys):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def hang_up():
        connection, _ = listener.accept()
        connection.close()  # the server goes away mid-conversation

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    try:
        code = cli(["ingest", f"mysql://reader:secret@127.0.0.1:{listener.getsockname()[1]}/od",
                    "--db", str(tmp_path / "od.duckdb"), "--timeout", "30"])
    finally:
        thread.join(timeout=10)
        listener.close()
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: nothing was loaded" in err and "Lost connection" in err
    assert "Traceback" not in err and "secret" not in err
    assert err.count("\n") <= 3  # one refusal, not library tracebacks
    assert not (tmp_path / "od.duckdb").exists()


def test_the_timeout_comes_from_the_environment(stalled_server, tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOARD_MYSQL_TIMEOUT", "0.5")
    with pytest.raises(ExportRefused, match=r"within 0\.5 s"):
        ingest_paths(
            [f"mysql://reader@127.0.0.1:{stalled_server}/opendental"], db=tmp_path / "x.duckdb"
        )


# ------------------------------------------------------------------ 4. two databases


def _practice_rows(names: list[str]) -> dict[str, list[dict]]:
    """Ten patients with the given last names (PatNum 1..10, as every database starts)."""
    return tables(
        patient=[patient(n + 1, LName=name, Birthdate=f"19{60 + n}-01-01")
                 for n, name in enumerate(names)],
    )


NORTH = [f"North{n}" for n in range(10)]
SOUTH = [f"South{n}" for n in range(10)]


def test_a_second_database_is_a_second_source(mariadb, tmp_path, capsys):
    _create(mariadb, "od_north", _practice_rows(NORTH))
    _create(mariadb, "od_south", _practice_rows(SOUTH))
    db = tmp_path / "od.duckdb"
    north = ingest_paths([mariadb.url("od_north")], db=db)
    south = ingest_paths([mariadb.url("od_south")], db=db)
    port = mariadb.port
    assert (north.source, south.source) == (f"od_north@127.0.0.1:{port}",
                                            f"od_south@127.0.0.1:{port}")
    # both kept: 10 patients each, none replaced
    assert _live(db, "select source_id, count(*) from raw_patients where removed_batch_id is null "
                     "group by all order by 1") == [(north.source, 10), (south.source, 10)]
    # naming the first source for the second database is refused, database unchanged
    before = _digest(db)
    capsys.readouterr()
    code = cli(["ingest", mariadb.url("od_south"), "--db", str(db), "--source", north.source])
    err = capsys.readouterr().err
    assert code == 1
    assert f"was loaded from mysql://127.0.0.1:{port}/od_north" in err
    assert "--replace-source" in err
    assert _digest(db) == before
    # unless told
    assert cli(["ingest", mariadb.url("od_south"), "--db", str(db), "--source", north.source,
                "--replace-source"]) == 0
    assert _live(db, "select last_name from raw_patients where source_id = ? and patient_id = '1'",
                 [north.source]) == [("South0",)]


def test_a_database_loaded_before_origins_were_kept_stays_its_source(mariadb, tmp_path):
    _create(mariadb, "od_legacy", _practice_rows(NORTH))
    db = tmp_path / "od.duckdb"
    ingest_paths([mariadb.url("od_legacy")], db=db, source_id="main")
    con = duckdb.connect(str(db))
    try:  # as a database written before this change: no origin recorded
        con.execute("delete from source_origins")
    finally:
        con.close()
    again = ingest_paths([mariadb.url("od_legacy")], db=db)  # no --source
    assert again.source == "main"  # not a second copy under od_legacy@127.0.0.1:PORT
    assert again.unchanged  # the same rows, matched in source main
    _delete(mariadb, "od_legacy", "UPDATE patient SET Email = 'new@example.test' WHERE PatNum = 1")
    changed = ingest_paths([mariadb.url("od_legacy")], db=db)
    assert changed.source == "main" and not changed.unchanged
    assert _live(db, "select distinct source_id from raw_patients") == [("main",)]
    # from now on the origin is recorded
    assert _live(db, "select source_id, origin from source_origins") == [
        ("main", f"mysql://127.0.0.1:{mariadb.port}/od_legacy")
    ]


def test_another_practices_export_over_a_source_is_refused(tmp_path):
    db = tmp_path / "od.duckdb"
    ingest_paths([write_folder(_practice_rows(NORTH), tmp_path / "north")], db=db)
    south = write_folder(_practice_rows(SOUTH), tmp_path / "south")
    # same source (default "main"), 10 of 10 shared patient ids with other names
    with pytest.raises(ExportRefused, match="10 of the 10 patients it shares by id"):
        ingest_paths([south], db=db)
    # a genuine re-export where one patient changed her name loads
    renamed = list(NORTH)
    renamed[3] = "Married"
    assert not ingest_paths([write_folder(_practice_rows(renamed), tmp_path / "again")],
                            db=db).unchanged


# ------------------------------------------------------------------ 6. unchanged, cheaply


def test_an_unchanged_database_is_not_read_again(mariadb, tmp_path, monkeypatch):
    from pipelines import opendental

    _create(mariadb, "od_same", _office())
    url, db = mariadb.url("od_same"), tmp_path / "od.duckdb"
    first = ingest_paths([url], db=db)
    reads = []
    real_read = opendental.read_mysql

    def counting_read(*args, **kwargs):
        reads.append(1)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(opendental, "read_mysql", counting_read)
    again = ingest_paths([url], db=db)
    assert again.unchanged and again.batch_id == first.batch_id
    assert reads == []  # the table checksums matched: no row was read
    # only a history row saying nothing changed (issue 16), no data written
    assert _live(db, "select unchanged from loads order by batch_id") == [(False,), (True,)]
    _delete(mariadb, "od_same", "UPDATE paysplit SET SplitAmt = 90 WHERE SplitNum = 1")
    changed = ingest_paths([url], db=db)
    assert reads == [1] and not changed.unchanged
    assert _live(db, "select amount from raw_payments where payment_id = 'split-1'")[0][0] == 90
    # another practice given at load is another load: read again
    ingest_paths([url], db=db, practice_id="main2")
    assert reads == [1, 1]


# ------------------------------------------------------------------ 8. money in no clinic


def _clinics(**extra) -> dict[str, list[dict]]:
    return tables(
        clinic=[
            {"ClinicNum": 1, "Abbr": "DTWN", "Description": "Downtown"},
            {"ClinicNum": 2, "Abbr": "", "Description": "Uptown"},
        ],
        patient=[patient(1, ClinicNum=1), patient(2, ClinicNum=2), patient(3, ClinicNum=0)],
        procedurelog=[
            # patient 1 (clinic 1) treated at clinic 2
            procedure(10, pat=1, ProcStatus=2, ProcDate="2025-03-05", ClinicNum=2),
        ],
        definition=[{"DefNum": 10, "Category": 10, "ItemName": "Visa", "ItemValue": ""}],
        payment=[{"PayNum": 1, "PayType": 10, "PayDate": "2025-03-06", "PayAmt": 60.0}],
        paysplit=[
            # ClinicNum 0 on every split, as front desks leave them
            {"SplitNum": 1, "SplitAmt": 10.0, "PatNum": 1, "PayNum": 1, "DatePay": "2025-03-06",
             "ClinicNum": 0, "ProcNum": 10},  # -> its procedure's clinic 2
            {"SplitNum": 2, "SplitAmt": 20.0, "PatNum": 1, "PayNum": 1, "DatePay": "2025-03-06",
             "ClinicNum": 0, "ProcNum": 0},  # -> its patient's clinic 1
            {"SplitNum": 3, "SplitAmt": 30.0, "PatNum": 3, "PayNum": 1, "DatePay": "2025-03-06",
             "ClinicNum": 0, "ProcNum": 0},  # patient in no clinic -> main, with a warning
        ],
        adjustment=[
            {"AdjNum": 1, "AdjDate": "2025-03-07", "AdjAmt": -5.0, "PatNum": 2, "AdjType": 0,
             "AdjNote": "", "ClinicNum": 0, "ProcNum": 0},  # -> patient 2's clinic 2
            {"AdjNum": 2, "AdjDate": "2025-03-07", "AdjAmt": -7.0, "PatNum": 3, "AdjType": 0,
             "AdjNote": "", "ClinicNum": 0, "ProcNum": 10},  # -> procedure 10's clinic 2
        ],
    ) | extra


def test_money_in_no_clinic_goes_to_its_procedure_or_patient(mariadb, tmp_path):
    rows = _clinics()
    _create(mariadb, "od_clinic0", rows)
    db = tmp_path / "live.duckdb"
    summary = ingest_paths([mariadb.url("od_clinic0")], db=db)
    assert _live(db, "select payment_id, practice_id, amount from stg_payments order by 1") == [
        ("split-1", "2", 10), ("split-2", "1", 20), ("split-3", "main", 30)
    ]
    assert _live(db, "select adjustment_id, practice_id from stg_adjustments order by 1") == [
        ("1", "2"), ("2", "2")
    ]
    # collections per clinic: clinic 1 = 20, clinic 2 = 10 (not 0, as all in "main" gave)
    assert (
        "2 paysplit row(s) with no clinic (ClinicNum 0) counted in the clinic of their "
        "procedure, else of their patient"
    ) in summary.notes
    assert any(
        note.startswith("warning: 1 paysplit row(s) sit in no clinic") for note in summary.notes
    )
    # the load report's warnings are kept for the Data page
    assert any(
        note.startswith("warning: 1 paysplit row(s) sit in no clinic")
        for (note,) in _live(db, "select note from load_notes")
    )
    # the reconciliation rows agree (they tie out per clinic)
    assert _live(db, "select split_num, practice_id from od_paysplit order by 1") == [
        ("1", "2"), ("2", "1"), ("3", "main")
    ]
    # the folder route gives the same practices
    folder_db = tmp_path / "csv.duckdb"
    ingest_paths([write_folder(rows, tmp_path / "csv")], db=folder_db)
    assert _live(folder_db, "select payment_id, practice_id from stg_payments order by 1") == (
        _live(db, "select payment_id, practice_id from stg_payments order by 1")
    )
    # clinic names (Abbr, else Description) are kept per source
    assert _live(db, "select practice_id, name from practice_names order by 1") == [
        ("1", "DTWN"), ("2", "Uptown")
    ]


# ------------------------------------------------------------------ 5. practices by name


def test_practices_are_asked_for_by_id_or_name(mariadb, tmp_path, capsys):
    import json

    _create(mariadb, "od_named", _clinics())
    db = tmp_path / "od.duckdb"
    ingest_paths([mariadb.url("od_named")], db=db)

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli([*argv, "--db", str(db)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    by_id = run("metrics", "--json", "--practice", "1", "--as-of", "2025-03-31")
    by_name = run("metrics", "--json", "--practice", "dtwn", "--as-of", "2025-03-31")
    assert by_id[0] == by_name[0] == 0
    assert json.loads(by_id[1]) == json.loads(by_name[1])
    # clinic 1 (DTWN) collected split-2 only: 20.00 in March
    march = [m for m in json.loads(by_name[1])["production"]["months"] if m["month"] == "2025-03"]
    assert march[0]["collections"] == 20.0
    # a clinic without Abbr is named by its Description
    uptown = run("metrics", "--json", "--practice", "Uptown", "--as-of", "2025-03-31")
    assert json.loads(uptown[1])["practice"] == "2"
    # an unknown practice is refused with the list of known ones, never zeros with exit 0
    code, out, err = run("metrics", "--practice", "NORTH")
    assert code == 2 and out == ""
    assert "no practice 'NORTH'; known practices: DTWN (1), Uptown (2), main" in err
    code, out, err = run("reconcile", "--from", "2025-03-01", "--to", "2025-03-31",
                         "--practice", "DTWN", "--json")
    assert code == 0 and json.loads(out)["practice_id"] == "1"
    assert run("reconcile", "--from", "2025-03-01", "--to", "2025-03-31",
               "--practice", "NORTH")[0] == 2
    code, _, err = run("report", "--practice", "NORTH", "--out", str(tmp_path / "r.pdf"))
    assert code == 1 and "known practices: DTWN (1), Uptown (2), main" in err
    assert not (tmp_path / "r.pdf").exists()


# ------------------------------------------------------------------ 7. reconcile and the live db


def test_reconcile_says_the_database_changed_only_when_it_did(mariadb, tmp_path, capsys):
    import json

    _create(mariadb, "od_recon", _office())
    url, db = mariadb.url("od_recon"), tmp_path / "od.duckdb"
    ingest_paths([url], db=db)
    args = ["reconcile", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31",
            "--json", "--live", url]
    capsys.readouterr()
    assert cli(args) == 0
    assert json.loads(capsys.readouterr().out)["live_database"] == "unchanged since the load"
    _delete(mariadb, "od_recon", "DELETE FROM claim WHERE ClaimNum = 1",
            "UPDATE paysplit SET SplitAmt = 75 WHERE SplitNum = 1")
    assert cli(args) == 0
    assert json.loads(capsys.readouterr().out)["live_database"] == (
        "the database changed since the load (tables claim, paysplit)"
    )
    # without --live, nothing is claimed either way
    assert cli(args[:-2]) == 0
    assert json.loads(capsys.readouterr().out)["live_database"] is None


def test_an_unchanged_export_folder_is_not_read_again(tmp_path, monkeypatch):
    from pipelines import opendental

    folder, db = write_folder(_office(), tmp_path / "export"), tmp_path / "od.duckdb"
    first = ingest_paths([folder], db=db)
    reads = []
    real_read = opendental.read_folder

    def counting_read(*args, **kwargs):
        reads.append(1)
        return real_read(*args, **kwargs)

    monkeypatch.setattr(opendental, "read_folder", counting_read)
    again = ingest_paths([folder], db=db)
    assert again.unchanged and again.batch_id == first.batch_id and reads == []
    # a PMS job rewrites one file: read again
    (folder / "claim.csv").write_text(
        (folder / "claim.csv").read_text().replace(",S,", ",R,")
    )
    assert not ingest_paths([folder], db=db).unchanged and reads == [1]
    assert _live(db, "select status from stg_claims") == [("received",)]
