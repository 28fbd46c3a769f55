"""The weekly report by e-mail: the owner's PDF through the office's SMTP server.

Settings come from a TOML file readable only by its owner (``$CASEBOARD_MAIL_CONFIG``,
else ``<home>/mail.toml``) and/or the environment, which wins:

| file key | environment variable | |
| --- | --- | --- |
| host | CASEBOARD_SMTP_HOST | required |
| port | CASEBOARD_SMTP_PORT | 587 (465 with tls, 25 with none) |
| security | CASEBOARD_SMTP_SECURITY | starttls (default), tls, or none |
| username | CASEBOARD_SMTP_USER | no login when absent |
| password | CASEBOARD_SMTP_PASSWORD | |
| sender | CASEBOARD_MAIL_FROM | required |
| recipients | CASEBOARD_MAIL_TO (comma-separated) | required |
| with_names | | false: patients by initials |
| retries | | 3 attempts in all |
| retry_wait_s | | 30 s between attempts |

A send is tried ``retries`` times; every outcome is logged in the run log of
``caseboard sync`` (kind ``email``), so the Data page shows a failed send. The
password never reaches a log or an error message.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import stat
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from caseboard import logsafe
from caseboard.settings import load_settings

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
TIMEOUT_S = 60.0


class MailError(Exception):
    """The e-mail cannot be configured or sent (never carries the password)."""


@dataclass(frozen=True)
class MailConfig:
    """Where and how to send the report."""

    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    security: str = "starttls"
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    with_names: bool = False
    retries: int = 3
    retry_wait_s: float = 30.0


def config_path() -> Path:
    """The mail settings file: $CASEBOARD_MAIL_CONFIG, else <home>/mail.toml."""
    given = os.environ.get("CASEBOARD_MAIL_CONFIG")
    return Path(given) if given else load_settings().home / "mail.toml"


def load_mail_config(path: str | os.PathLike[str] | None = None) -> MailConfig:
    """Read the settings file (refused unless only its owner may read it) and the environment."""
    path = Path(path) if path is not None else config_path()
    values: dict = {}
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise MailError(f"{path} may be read by others (mode {mode:o}): it can hold the SMTP "
                            f"password, so make it readable by its owner only (chmod 600 {path})")
        try:
            values = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as error:
            raise MailError(f"{path}: {error}") from None
    env = {
        "host": "CASEBOARD_SMTP_HOST", "port": "CASEBOARD_SMTP_PORT",
        "security": "CASEBOARD_SMTP_SECURITY", "username": "CASEBOARD_SMTP_USER",
        "password": "CASEBOARD_SMTP_PASSWORD", "sender": "CASEBOARD_MAIL_FROM",
        "recipients": "CASEBOARD_MAIL_TO",
    }
    for key, name in env.items():
        if os.environ.get(name):
            values[key] = os.environ[name]
    recipients = values.get("recipients", [])
    if isinstance(recipients, str):
        recipients = [r.strip() for r in recipients.split(",") if r.strip()]
    security = str(values.get("security", "starttls")).lower()
    missing = [k for k in ("host", "sender") if not values.get(k)] + (
        [] if recipients else ["recipients"]
    )
    if missing:
        raise MailError(f"e-mail not configured: {', '.join(missing)} missing (in {path} or "
                        "the CASEBOARD_SMTP_*/CASEBOARD_MAIL_* environment)")
    if security not in SECURITY:
        raise MailError(f"security must be one of {', '.join(SECURITY)}, not {security!r}")
    try:
        port = int(values.get("port", DEFAULT_PORTS[security]))
    except ValueError:
        raise MailError(f"port must be a number, not {values['port']!r}") from None
    config = MailConfig(
        host=str(values["host"]), port=port, security=security, sender=str(values["sender"]),
        recipients=tuple(recipients), username=values.get("username") or None,
        password=values.get("password") or None, with_names=bool(values.get("with_names")),
        retries=max(1, int(values.get("retries", 3))),
        retry_wait_s=float(values.get("retry_wait_s", 30.0)),
    )
    if config.password:
        logsafe.register([config.password])
    return config


def report_message(config: MailConfig, pdf: bytes, subject: str, filename: str) -> EmailMessage:
    """The e-mail: a short text and the report as a PDF attachment."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(config.recipients)
    message["Subject"] = subject
    message.set_content(
        f"{subject}\n\nThe weekly review is attached ({filename}).\n"
        + ("Patients appear by name." if config.with_names else "Patients appear by initials.")
        + "\n\nSent by caseboard.\n"
    )
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def _send_once(config: MailConfig, message: EmailMessage) -> None:
    context = ssl.create_default_context()
    if config.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT_S,
                                                context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT_S)
    with client:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.username:
            client.login(config.username, config.password or "")
        client.send_message(message)


def _error_text(error: BaseException, config: MailConfig) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(
            error.smtp_error, bytes) else str(error.smtp_error)
        text = f"the server answered {error.smtp_code} {reply}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "the server refused every recipient"
    else:
        text = logsafe.safe_exception_text(error)
    text = f"{config.host}:{config.port}: {text}"
    if config.password:
        text = text.replace(config.password, logsafe.REDACTED)
    return logsafe.redact(text)


def send(config: MailConfig, message: EmailMessage, *,
         sleep: Callable[[float], None] = time.sleep) -> int:
    """Send, trying ``config.retries`` times; the number of attempts, or MailError."""
    last = ""
    for attempt in range(1, config.retries + 1):
        try:
            _send_once(config, message)
            return attempt
        except (smtplib.SMTPException, OSError) as error:
            last = _error_text(error, config)
            if attempt < config.retries:
                sleep(config.retry_wait_s)
    raise MailError(f"not sent after {config.retries} attempt(s): {last}")
