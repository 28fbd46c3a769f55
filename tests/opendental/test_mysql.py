"""The live-database route against a real MariaDB server equals the folder route."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from pipelines import opendental_sample
from pipelines.opendental import OpenDentalError, read_folder, read_mysql, redact_url
from tests.opendental.conftest import READER, READER_PASSWORD
from tests.opendental.odfixtures import TODAY, patient, procedure, tables

pytestmark = pytest.mark.mariadb


@pytest.fixture(scope="module")
def sample(mariadb, tmp_path_factory):
    """The synthetic practice as a CSV folder and as a live database."""
    rows = opendental_sample.generate()
    folder = opendental_sample.write_folder(rows, tmp_path_factory.mktemp("odcsv") / "export")
    mariadb.create_database("od_sample", rows)
    return folder, mariadb.url("od_sample")


def _same(a, b):
    assert list(a.frames) == [name for name in b.frames if name in a.frames]
    # a table the folder lacks exists (empty) in the database
    assert all(b.frames[name].is_empty() for name in b.frames if name not in a.frames)
    for name in a.frames:
        assert a.frames[name].equals(b.frames[name]), name
    for name in a.extra_tables:
        key = a.extra_tables[name].columns[0]
        assert a.extra_tables[name].sort(key).equals(b.extra_tables[name].sort(key)), name
    assert a.rejects == [] and b.rejects == []
    assert a.notes == b.notes
    assert a.read_counts == {name: b.read_counts[name] for name in a.read_counts}


def test_live_database_equals_csv_folder(sample):
    folder, url = sample
    from_csv = read_folder(folder, today=TODAY)
    from_db = read_mysql(url, today=TODAY)
    _same(from_csv, from_db)
    # the synthetic practice: 30 patients, one deleted (PatStatus 4)
    assert from_db.frames["patients"].height == 29
    assert "1 deleted patient(s) (PatStatus 4) counted, not loaded" in from_db.notes
    # keys above 2^53 survive exactly (PatNum 2^53 + 1 .. 2^53 + 30)
    assert "9007199254740993" in from_db.frames["patients"]["patient_id"].to_list()
    assert all(info.name.startswith("mysql:") for info in from_db.files)


def test_hand_built_edge_cases_over_mysql(mariadb, tmp_path):
    rows = tables(
        patient=[
            patient(1, LName="Tab\there", FName="José", AddrNote="", Email="x@example.test"),
            patient(2, LName="back\\slash\nnext", FName="Zoë", AddrNote="multi\nline"),
        ],
        procedurelog=[
            procedure(1, ProcFee=12.5, UnitQty=3, BaseUnits=1),  # 12.50 x 4 = 50.00
            procedure(2, ProcFee=80.0, UnitQty=0, BaseUnits=0),  # 0 units count as 1 = 80.00
            procedure(3, pat=2, ProcStatus=2, ProcDate="2025-02-03", DateTP="0001-01-01"),
        ],
    )
    mariadb.create_database("od_edges", rows)
    from_db = read_mysql(mariadb.url("od_edges"), today=TODAY)
    from_csv = read_folder(opendental_sample.write_folder(rows, tmp_path / "csv"), today=TODAY)
    _same(from_csv, from_db)
    pats = {r["patient_id"]: r for r in from_db.frames["patients"].iter_rows(named=True)}
    assert (pats["1"]["last_name"], pats["1"]["first_name"]) == ("Tab\there", "José")
    assert pats["2"]["last_name"] == "back\\slash\nnext"
    assert pats["2"]["first_visit_date"] == dt.date(2025, 2, 3)
    fees = dict(from_db.frames["procedures"].select("procedure_id", "fee").iter_rows())
    assert {k: str(v) for k, v in fees.items()} == {"1": "50.0000", "2": "80.0000", "3": "100.0000"}
    assert from_db.frames["procedures"]["diagnosed_date"].to_list()[2] == dt.date(2025, 2, 3)


def test_password_never_in_errors(mariadb):
    wrong = "Wr0ng-S3cret!"
    url = mariadb.url("od_sample", password=wrong)
    with pytest.raises(OpenDentalError) as caught:
        read_mysql(url, today=TODAY)
    message = str(caught.value)
    assert wrong not in message and "Wr0ng" not in message
    assert f"mysql://{READER}:***@127.0.0.1:{mariadb.port}/od_sample" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert redact_url(url) == f"mysql://{READER}:***@127.0.0.1:{mariadb.port}/od_sample"


def test_credentials_from_environment_and_files(sample, mariadb, tmp_path, monkeypatch):
    password_file = tmp_path / "pw"
    password_file.write_text(READER_PASSWORD + "\n")
    monkeypatch.setenv(
        "CASEBOARD_MYSQL_URL", f"mysql://{READER}@127.0.0.1:{mariadb.port}/od_sample"
    )
    monkeypatch.setenv("CASEBOARD_MYSQL_PASSWORD_FILE", str(password_file))
    from_env = read_mysql(None, today=TODAY)
    assert from_env.frames["patients"].height == 29
    monkeypatch.delenv("CASEBOARD_MYSQL_URL")
    monkeypatch.delenv("CASEBOARD_MYSQL_PASSWORD_FILE")
    option_file = tmp_path / "my.cnf"
    option_file.write_text(
        f"[client]\nuser={READER}\npassword={READER_PASSWORD}\nhost=127.0.0.1\n"
        f"port={mariadb.port}\ndatabase=od_sample\n"
    )
    from_file = read_mysql(None, config_file=option_file, today=TODAY)
    for name in from_env.frames:
        assert from_env.frames[name].equals(from_file.frames[name]), name
    # a file holding just the URL, its password in CASEBOARD_MYSQL_PASSWORD_FILE
    url_file = tmp_path / "od.url"
    url_file.write_text(f"mysql://{READER}@127.0.0.1:{mariadb.port}/od_sample\n")
    monkeypatch.setenv("CASEBOARD_MYSQL_PASSWORD_FILE", str(password_file))
    from_url_file = read_mysql("mysql://", config_file=url_file, today=TODAY)
    assert from_url_file.frames["procedures"].equals(from_env.frames["procedures"])


def _standard_tables(db) -> dict:
    from pipelines.schema import TABLES

    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for name, spec in TABLES.items():
            cols = ", ".join(spec.column_names)
            out[name] = con.sql(f"select {cols} from raw_{name} order by all").fetchall()  # noqa: S608
        return out
    finally:
        con.close()


def test_end_to_end_both_routes_give_identical_metrics(sample, tmp_path, capsys):
    from caseboard.cli import main as cli
    from pipelines.ingest import ingest_paths

    folder, url = sample
    csv_db, sql_db = tmp_path / "csv.duckdb", tmp_path / "sql.duckdb"
    ingest_paths([folder], db=csv_db, practice_id="main")
    ingest_paths([url], db=sql_db, practice_id="main")
    assert _standard_tables(csv_db) == _standard_tables(sql_db)
    outputs = []
    for db in (csv_db, sql_db):
        capsys.readouterr()
        assert cli(["metrics", "--db", str(db), "--json"]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert outputs[0]  # a non-empty metrics object
    for db in (csv_db, sql_db):
        capsys.readouterr()
        assert (
            cli(
                [
                    "reconcile",
                    "--db",
                    str(db),
                    "--from",
                    "2025-01-01",
                    "--to",
                    "2025-12-31",
                    "--json",
                ]
            )
            == 0
        )
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[2] == outputs[3]
    # every difference from Open Dental's own report totals on the synthetic practice has a
    # known cause (zero units, deleted patient, prepayment, capitation, not on a check)
    causes = [item["cause"] for m in outputs[2]["metrics"] for item in m["explanations"]]
    assert "other" not in causes
    assert {
        "zero_units",
        "deleted_patients",
        "unearned",
        "capitation_basis",
        "not_on_check",
    } <= set(causes)


def test_session_is_read_only(sample, mariadb):
    import pymysql

    from pipelines.opendental.mysql import _read_database

    con = mariadb.root("od_sample")  # even a user allowed to write
    try:
        tables = _read_database(con)
        assert tables["patient"].height == 30
        with con.cursor() as cursor, pytest.raises(pymysql.MySQLError, match="READ ONLY"):
            cursor.execute("INSERT INTO definition (DefNum, ItemName) VALUES (999, 'x')")
    finally:
        con.close()


def test_ingest_command_never_prints_the_password(sample, mariadb, tmp_path, capsys):
    from urllib.parse import quote

    from caseboard.cli import main as cli

    _, url = sample
    db = tmp_path / "od.duckdb"
    assert cli(["ingest", url, "--db", str(db)]) == 0
    wrong = "N0t-The-Passw0rd"
    assert cli(["ingest", mariadb.url("od_sample", password=wrong), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "refused: nothing was loaded" in captured.err
    for secret in (READER_PASSWORD, quote(READER_PASSWORD, safe=""), wrong):
        assert secret not in output
    assert "***" in captured.err
