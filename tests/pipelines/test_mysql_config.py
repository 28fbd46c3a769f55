"""`caseboard ingest --mysql-config FILE` hands the option file to the Open Dental reader."""

from __future__ import annotations

from caseboard.cli import main
from pipelines import opendental


def _recording_reader(calls):
    def read_mysql(url=None, *, practice_id=None, config_file=None, today=None, timeout_s=None):
        calls.append((url, practice_id, config_file))
        raise opendental.OpenDentalError("stand-in reader: no server here")

    return read_mysql


def _no_fingerprint(url=None, *, config_file=None, timeout_s=None):
    return "mysql://stand-in:3306/od", "od@stand-in", {}


def test_mysql_config_alone_reaches_read_mysql(monkeypatch, tmp_path, capsys):
    config = tmp_path / "od.cnf"
    config.write_text("[client]\nhost=127.0.0.1\n")
    calls = []
    monkeypatch.setattr(opendental, "read_mysql", _recording_reader(calls))
    monkeypatch.setattr(opendental, "mysql_fingerprint", _no_fingerprint)
    code = main(["ingest", "--mysql-config", str(config), "--db", str(tmp_path / "x.duckdb"),
                 "--practice", "A"])
    assert code == 1
    assert calls == [(None, "A", str(config))]
    assert "stand-in reader" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()


def test_mysql_config_with_url_passes_both(monkeypatch, tmp_path):
    config = tmp_path / "od.cnf"
    config.write_text("[client]\n")
    calls = []
    monkeypatch.setattr(opendental, "read_mysql", _recording_reader(calls))
    monkeypatch.setattr(opendental, "mysql_fingerprint", _no_fingerprint)
    code = main(["ingest", "mysql://od@127.0.0.1/opendental", "--mysql-config", str(config),
                 "--db", str(tmp_path / "x.duckdb")])
    assert code == 1
    assert calls == [("mysql://od@127.0.0.1/opendental", None, str(config))]


def test_mysql_config_with_a_folder_or_missing_file_is_a_usage_error(tmp_path, capsys):
    config = tmp_path / "od.cnf"
    config.write_text("[client]\n")
    assert main(["ingest", str(tmp_path), "--mysql-config", str(config)]) == 2
    assert main(["ingest", "--mysql-config", str(tmp_path / "absent.cnf")]) == 2
    assert main(["ingest"]) == 2
    err = capsys.readouterr().err
    assert "--mysql-config goes with a mysql:// URL" in err and "absent.cnf" in err
