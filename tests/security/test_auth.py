"""Password hashing, the config file, throttling and the serve refusal."""

from __future__ import annotations

import io
import os
import stat
import sys
import threading
import time

import pytest

from caseboard import auth
from caseboard.commands import serve, set_password


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_password_stored_only_as_argon2_hash_in_a_0600_file(tmp_path):
    path = auth.set_password("correct horse", tmp_path)
    text = path.read_text()
    assert "correct horse" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    hashed = auth.password_hash(tmp_path)
    assert hashed.startswith("$argon2id$")
    assert auth.verify_password("correct horse", hashed)
    assert not auth.verify_password("correct horsf", hashed)
    assert not auth.verify_password("", hashed)


def test_weak_password_refused_and_nothing_written(tmp_path):
    with pytest.raises(auth.AuthConfigError, match="at least 8"):
        auth.set_password("short", tmp_path)
    assert not auth.config_path(tmp_path).exists()


def test_world_readable_config_is_refused(tmp_path):
    path = auth.set_password("correct horse", tmp_path)
    os.chmod(path, 0o644)
    with pytest.raises(auth.AuthConfigError, match="chmod 600"):
        auth.password_hash(tmp_path)


def test_config_without_hash_is_refused(tmp_path):
    auth.config_path(tmp_path).write_text('{"password_hash": "plaintext"}')
    os.chmod(auth.config_path(tmp_path), 0o600)
    with pytest.raises(auth.AuthConfigError, match="no argon2 hash"):
        auth.password_hash(tmp_path)


def test_throttle_doubles_then_caps_and_forgets():
    clock = FakeClock()
    throttle = auth.Throttle(base=1.0, cap=8.0, free=2, forget_after=100.0, clock=clock)
    # free=2: failures 1 and 2 cost 0 s; then 1*2**0=1, 1*2**1=2, 2**2=4, 2**3=8, 2**4=16 -> cap 8
    delays = [throttle.record_failure() for _ in range(7)]
    assert delays == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert throttle.wait_seconds() == 8.0
    clock.now += 5
    assert throttle.wait_seconds() == 3.0  # 8 - 5
    clock.now += 101  # quiet for more than forget_after: failures forgotten
    assert throttle.wait_seconds() == 0.0
    assert throttle.record_failure() == 0.0  # counting starts again at failure 1


def test_attempt_login_locks_out_and_does_not_check_while_locked(tmp_path):
    hashed = auth.hash_password("correct horse")
    clock = FakeClock()
    session = auth.Throttle(base=1.0, cap=300.0, clock=clock)
    shared = auth.Throttle(base=1.0, cap=60.0, free=5, clock=clock)
    assert auth.attempt_login("wrong one", hashed, session, shared)[:2] == (False, 1.0)
    # locked for 1 s: even the right password is refused without being checked
    assert auth.attempt_login("correct horse", hashed, session, shared)[:2] == (False, 1.0)
    clock.now += 1.0
    assert auth.attempt_login("wrong two", hashed, session, shared)[:2] == (False, 2.0)
    clock.now += 2.0
    assert auth.attempt_login("correct horse", hashed, session, shared)[:2] == (True, 0.0)
    assert session.failures == 0 and shared.failures == 0


def test_global_throttle_spans_sessions():
    hashed = auth.hash_password("correct horse")
    clock = FakeClock()
    shared = auth.Throttle(base=1.0, cap=60.0, free=5, clock=clock)
    # 7 fresh sessions, one wrong attempt each (each session alone would allow 1 s later):
    # shared failures 1..5 free, 6th -> 1 s, 7th -> 2 s
    # (the clock moves on by each wait, so every attempt is counted)
    waits = []
    for _ in range(7):
        fresh = auth.Throttle(base=0.0, cap=0.0, clock=clock)
        waits.append(auth.attempt_login("nope nope", hashed, fresh, shared).wait)
        clock.now += waits[-1]
    assert waits == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0]
    # an 8th new session right away: wrong -> 3rd paid failure, 2**2 = 4 s
    assert auth.attempt_login("nope nope", hashed, auth.Throttle(clock=clock), shared)[:2] == (
        False, 4.0,
    )
    # and the right password is refused while the shared lock lasts
    assert auth.attempt_login("correct horse", hashed, auth.Throttle(clock=clock), shared)[:2] == (
        False, 4.0,
    )


def test_parallel_attempts_are_counted_before_any_is_checked(monkeypatch):
    """12 guesses at once from 12 new sessions: only as many are checked as would be in a row."""
    checked = []
    gate = threading.Barrier(12)

    def slow_verify(password, hashed):
        checked.append(password)
        time.sleep(0.2)  # argon2 takes a while: the window the old check-then-count left open
        return False

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    shared = auth.Throttle(base=1.0, cap=60.0, free=5)
    results = []

    def guess(number: int) -> None:
        gate.wait()
        results.append(auth.attempt_login(f"guess {number}", "hash", auth.Throttle(), shared))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # in a row: failures 1..5 are free, the 6th locks everyone for 1 s, so guesses 7..12 are
    # refused unchecked; at once it must be the same: 6 checked, 6 refused while locked
    assert len(checked) == 6
    assert sorted(r.checked for r in results) == [False] * 6 + [True] * 6
    assert shared.failures == 6


def test_a_client_address_has_its_own_throttle():
    assert auth.client_throttle("127.0.0.1") is None  # behind a local proxy: the global one
    one = auth.client_throttle("192.0.2.10")
    assert one is auth.client_throttle("192.0.2.10")
    assert one is not auth.client_throttle("192.0.2.11")
    hashed = auth.hash_password("correct horse")
    clock = FakeClock()
    one = auth.Throttle(base=1.0, cap=300.0, free=5, clock=clock)
    shared = auth.Throttle(base=1.0, cap=60.0, free=50, clock=clock)
    # six fresh sessions from one address: the 6th failure of that address locks it 1 s
    waits = [auth.attempt_login("nope nope", hashed, auth.Throttle(base=0.0, cap=0.0, clock=clock),
                                shared, one).wait for _ in range(6)]
    assert waits == [0.0] * 5 + [1.0]
    refused = auth.attempt_login("correct horse", hashed, auth.Throttle(clock=clock), shared, one)
    assert refused == (False, 1.0, False)
    other = auth.Throttle(base=1.0, cap=300.0, free=5, clock=clock)
    assert auth.attempt_login("correct horse", hashed, auth.Throttle(clock=clock), shared,
                              other).accepted


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True),
        ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.168.1.20", False),
        ("", False), (None, False), ("example.lan", False),
    ],
)
def test_is_loopback(host, loopback):
    assert auth.is_loopback(host) is loopback


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


class Served(Exception):  # noqa: N818 - a signal: the server would now replace the process
    """Raised by the stand-in for os.execvpe: serve got as far as starting Streamlit."""


def record_exec(calls: list):
    """A stand-in for os.execvpe that records (command, env) and stops like exec would."""

    def fake_exec(file, command, env):
        calls.append((command, env))
        raise Served

    return fake_exec


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_serve_refuses_network_address_without_auth(home, host, monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(serve.os, "execvpe", record_exec(calls))
    assert serve.main(["--host", host, "--port", "8999"]) == 2
    assert calls == []
    err = capsys.readouterr().err
    assert f"refusing to serve on {host}" in err and "caseboard set-password" in err


def test_serve_allows_network_address_with_password(home, monkeypatch):
    auth.set_password("correct horse", home)
    calls = []
    monkeypatch.setattr(serve.os, "execvpe", record_exec(calls))
    with pytest.raises(Served):
        serve.main(["--host", "0.0.0.0", "--port", "8999", "--deidentify"])
    cmd, env = calls[0]
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
    assert env["CASEBOARD_DEIDENTIFY"] == "1"


def test_serve_loopback_default_and_hardening_options(home, monkeypatch):
    monkeypatch.setenv("CASEBOARD_UPLOAD_LIMIT_MB", "37")
    monkeypatch.delenv("CASEBOARD_HOST", raising=False)
    calls = []
    monkeypatch.setattr(serve.os, "execvpe", record_exec(calls))
    with pytest.raises(Served):
        serve.main([])
    cmd, env = calls[0]
    options = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.enableXsrfProtection"] == "true"
    assert options["--server.enableCORS"] == "true"
    assert options["--server.maxUploadSize"] == "37"
    assert options["--client.showErrorDetails"] == "none"
    assert options["--global.developmentMode"] == "false"
    assert "CASEBOARD_DEIDENTIFY" not in env or env["CASEBOARD_DEIDENTIFY"] != "1"


def test_streamlit_accepts_every_serve_option():
    """`streamlit config show` accepts every option value we pass (e.g. showErrorDetails)."""
    import subprocess

    cmd = serve.streamlit_command("127.0.0.1", 8999, 10)
    options = cmd[cmd.index("run") + 2:]
    out = subprocess.run(
        [sys.executable, "-m", "streamlit", "config", "show", *options],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    assert 'showErrorDetails = "none"' in out
    assert "maxUploadSize = 10" in out


def test_serve_detects_oidc_config(home, monkeypatch):
    secrets = home.parent / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text(
        '[auth]\nredirect_uri = "http://x:8501/oauth2callback"\ncookie_secret = "s3cret"\n'
        'client_id = "id"\nclient_secret = "cs"\n'
        'server_metadata_url = "https://idp.example/.well-known/openid-configuration"\n'
    )
    assert auth.oidc_configured(home.parent)
    monkeypatch.setattr(serve.os, "execvpe", record_exec([]))
    monkeypatch.setattr(serve, "oidc_available", lambda: True)
    with pytest.raises(Served):
        serve.main(["--host", "0.0.0.0"])
    monkeypatch.setattr(serve, "oidc_available", lambda: False)
    assert serve.main(["--host", "0.0.0.0"]) == 2


def test_incomplete_oidc_config_does_not_count(home):
    secrets = home.parent / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\n')
    assert not auth.oidc_configured(home.parent)


def test_set_password_stdin(home, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long passphrase\n"))
    assert set_password.main(["--stdin"]) == 0
    assert auth.verify_password("a long passphrase", auth.password_hash(home))
    assert "a long passphrase" not in capsys.readouterr().out


def test_set_password_prompts_twice_and_refuses_mismatch(home, monkeypatch):
    answers = iter(["first passphrase", "other passphrase"])
    monkeypatch.setattr(set_password.getpass, "getpass", lambda prompt: next(answers))
    assert set_password.main([]) == 1
    assert auth.password_hash(home) is None
    answers = iter(["same passphrase", "same passphrase"])
    monkeypatch.setattr(set_password.getpass, "getpass", lambda prompt: next(answers))
    assert set_password.main([]) == 0
    assert auth.verify_password("same passphrase", auth.password_hash(home))
