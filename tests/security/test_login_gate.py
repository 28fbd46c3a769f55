"""dashboard.auth.require_login: nothing after the gate runs until the password passes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from caseboard import auth

APP = str(Path(__file__).with_name("gate_app.py"))
TOKEN = "PATIENT-DATA-TOKEN"


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEBOARD_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    monkeypatch.chdir(tmp_path)
    auth.GLOBAL_THROTTLE.record_success()
    yield tmp_path / "home"
    auth.GLOBAL_THROTTLE.record_success()


def shown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


def log_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="caseboard_password").input(password)
    return at.button[0].click().run()


def test_no_password_on_loopback_passes(home):
    at = AppTest.from_file(APP).run()
    assert not at.exception
    assert TOKEN in shown(at)


def test_password_form_stops_the_page_until_correct(home):
    auth.set_password("correct horse", home)
    at = AppTest.from_file(APP).run()
    assert TOKEN not in shown(at)
    assert len(at.text_input) == 1 and at.text_input[0].label == "Password"

    log_in(at, "wrong horse")
    assert TOKEN not in shown(at)
    assert "try again in 1 s" in errors(at)  # first session failure: 1 * 2**0 s

    log_in(at, "correct horse")  # still inside the 1 s lockout: refused unchecked
    assert TOKEN not in shown(at)

    time.sleep(1.1)
    log_in(at, "correct horse")
    assert not at.exception
    assert TOKEN in shown(at)
    assert not at.text_input  # form gone

    at.sidebar.button(key="caseboard_logout").click().run()
    assert TOKEN not in shown(at)
    assert at.text_input[0].label == "Password"


def test_second_wrong_password_doubles_the_wait(home):
    auth.set_password("correct horse", home)
    at = AppTest.from_file(APP).run()
    log_in(at, "wrong one")
    assert "1 s" in errors(at)
    time.sleep(1.05)
    log_in(at, "wrong two")
    assert "try again in 2 s" in errors(at)  # 1 * 2**1


def test_changing_the_password_logs_sessions_out(home):
    auth.set_password("correct horse", home)
    at = AppTest.from_file(APP).run()
    log_in(at, "correct horse")
    assert TOKEN in shown(at)
    auth.set_password("a new passphrase", home)
    at.run()
    assert TOKEN not in shown(at)


def test_misconfigured_password_file_stops_the_page(home):
    path = auth.set_password("correct horse", home)
    path.chmod(0o644)
    at = AppTest.from_file(APP).run()
    assert TOKEN not in shown(at)
    assert "chmod 600" in errors(at)


def test_oidc_configured_shows_only_a_login_button(home, monkeypatch):
    secrets = home.parent / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir(parents=True)
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
        'cookie_secret = "0123456789abcdef"\nclient_id = "id"\nclient_secret = "cs"\n'
        'server_metadata_url = "https://idp.example/.well-known/openid-configuration"\n'
    )
    at = AppTest.from_file(APP).run()
    assert not at.exception
    assert TOKEN not in shown(at)
    assert [b.label for b in at.button] == ["Log in"]
