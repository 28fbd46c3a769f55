"""caseboard report --email: the weekly PDF through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import email
import shutil
import socket
import subprocess
from email import policy
from pathlib import Path

import pytest

pytest.importorskip("aiosmtpd")

from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

from caseboard import sync  # noqa: E402
from caseboard.cli import main as cli  # noqa: E402
from tests.weekly_practice import WEEK  # noqa: E402

USER, PASSWORD = "office", "Sm7p-S3cret!"


class Mailbox:
    """Accepts (or, ``failures`` times, refuses with 451) and keeps every message."""

    def __init__(self, failures: int = 0):
        self.failures = failures
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        """Keep the message, or refuse it while failures remain."""
        if self.failures:
            self.failures -= 1
            return "451 4.3.0 try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start a real SMTP server with AUTH on a free loopback port; yield (mailbox, port)."""
    servers = []

    def start(failures: int = 0):
        mailbox = Mailbox(failures)
        controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port(),
                                authenticator=_authenticator, auth_require_tls=False)
        controller.start()
        servers.append(controller)
        return mailbox, controller.port

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def db(one_practice_db, tmp_path) -> Path:
    """A private copy of the tiny practice (the run log is written beside it)."""
    copy = tmp_path / "one.duckdb"
    shutil.copyfile(one_practice_db, copy)
    return copy


def _config(tmp_path: Path, port: int, monkeypatch, **extra) -> Path:
    path = tmp_path / "mail.toml"
    lines = ['host = "127.0.0.1"', f"port = {port}", 'security = "none"',
             f'username = "{USER}"', f'password = "{PASSWORD}"',
             'sender = "caseboard@office.test"',
             'recipients = ["owner@office.test", "manager@office.test"]',
             "retry_wait_s = 0"] + [f"{k} = {v}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    monkeypatch.setenv("CASEBOARD_MAIL_CONFIG", str(path))
    return path


def test_report_email_arrives_with_its_pdf_by_initials(db, smtp_server, tmp_path, monkeypatch,
                                                       capsys, kaleido, poppler):
    mailbox, port = smtp_server()
    _config(tmp_path, port, monkeypatch)
    assert cli(["report", "--db", str(db), "--week", WEEK.isoformat(), "--email"]) == 0
    assert len(mailbox.messages) == 1
    message = mailbox.messages[0]
    assert mailbox.envelopes[0] == ("caseboard@office.test",
                                    ["owner@office.test", "manager@office.test"])
    assert message["Subject"].startswith("Weekly review")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf.startswith(b"%PDF")
    (tmp_path / "got.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "got.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Mon Oct 5 – Sun Oct 11, 2026" in text
    assert "M. G." in text and "Maria Garcia" not in text  # initials unless names are asked
    # logged (no password) and visible as the last e-mail
    status = sync.sync_status(db)
    assert status["last_email"]["status"] == "sent" and status["last_email"]["recipients"] == 2
    output = capsys.readouterr()
    assert PASSWORD not in output.out + output.err + sync.log_path(db).read_text()


def test_a_failed_send_is_retried_then_logged(db, smtp_server, tmp_path, monkeypatch, capsys,
                                              kaleido):
    mailbox, port = smtp_server(failures=1)  # the first attempt gets 451
    _config(tmp_path, port, monkeypatch)
    assert cli(["report", "--db", str(db), "--week", WEEK.isoformat(), "--email"]) == 0
    assert len(mailbox.messages) == 1
    assert sync.sync_status(db)["last_email"]["attempts"] == 2
    # a server that always refuses: 3 attempts, exit 1, the failure logged and shown
    refusing, port = smtp_server(failures=99)
    _config(tmp_path, port, monkeypatch)
    capsys.readouterr()
    assert cli(["report", "--db", str(db), "--week", WEEK.isoformat(), "--email"]) == 1
    err = capsys.readouterr().err
    assert "not sent after 3 attempt(s)" in err and "451" in err
    assert PASSWORD not in err
    failure = sync.sync_status(db)["last_failure"]
    assert failure["kind"] == "email" and "451" in failure["error"]
    assert refusing.messages == []


def test_wrong_password_and_open_config_file_refused(db, smtp_server, tmp_path, monkeypatch,
                                                     capsys, kaleido):
    _, port = smtp_server()
    path = _config(tmp_path, port, monkeypatch, retries=1)
    path.write_text(path.read_text().replace(PASSWORD, "Wr0ng-pw-123"))
    assert cli(["report", "--db", str(db), "--week", WEEK.isoformat(), "--email"]) == 1
    err = capsys.readouterr().err
    # aiosmtpd answers 535 and hangs up; either way: not sent, the password in no message
    assert "not sent after 1 attempt(s)" in err and "Wr0ng-pw-123" not in err
    assert "Wr0ng-pw-123" not in sync.log_path(db).read_text()
    path.chmod(0o644)  # readable by others: refused before anything is sent
    assert cli(["report", "--db", str(db), "--week", WEEK.isoformat(), "--email"]) == 1
    assert "readable by its owner only (chmod 600" in capsys.readouterr().err
