"""Keep patient data and secrets out of logs, error messages and tracebacks.

Names cannot be recognised by pattern, so the rule is structural: an exception
*message* may quote row contents (DuckDB, Polars and the readers all do), so a
logged exception shows its type and frames, never its message; and every log
line has emails, phone numbers and passwords (``mysql://user:pw@``,
``password=...``) redacted, plus any value registered with ``register()``.
``install()`` puts the filter on every handler (root, Streamlit's, ours).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Iterable

REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s]+@"), r"\1" + REDACTED + "@"),
    (
        re.compile(r"(?i)\b(passw(?:or)?d|pwd|passwd|secret|token)(\s*[=:]\s*)(['\"]?)[^\s'\",;]+"),
        r"\1\2\3" + REDACTED,
    ),
    (re.compile(r"(?i)(--?(?:db-)?pass(?:word)?)(\s+)\S+"), r"\1\2" + REDACTED),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),
    (
        re.compile(r"(?<!\w)(?:\+?\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"),
        REDACTED,
    ),
)

_registered: set[str] = set()
_registered_lock = threading.Lock()
_installed_lock = threading.Lock()


def register(values: Iterable[object]) -> None:
    """Add values (e.g. patient names being loaded) that must be redacted wherever they appear."""
    with _registered_lock:
        _registered.update(str(v) for v in values if v is not None and len(str(v)) >= 3)


def clear_registered() -> None:
    """Forget the registered values."""
    with _registered_lock:
        _registered.clear()


def redact(text: str) -> str:
    """Return ``text`` with emails, phones, passwords and registered values replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    with _registered_lock:
        values = sorted(_registered, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def safe_exception_text(error: BaseException) -> str:
    """'TypeName' plus a redacted message only for errors known to carry no row contents."""
    name = type(error).__qualname__
    if isinstance(error, OSError) and error.strerror:
        return f"{name}: {error.strerror}"
    return name


def format_exception_safely(exc_info: tuple) -> str:
    """A traceback with frames (file, line, function) and exception types, but no messages."""
    chain: list[BaseException] = []
    value = exc_info[1]
    while value is not None and all(value is not seen for seen in chain):
        chain.append(value)
        value = value.__cause__ or value.__context__
    blocks: list[str] = []
    for error in reversed(chain):
        lines = ["Traceback (most recent call last):"]
        lines += [
            f'  File "{f.filename}", line {f.lineno}, in {f.name}'
            for f in traceback.extract_tb(error.__traceback__)
        ]
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}: [message withheld]")
        blocks.append("\n".join(lines))
    return "\n\nDuring handling of the above, another error occurred:\n\n".join(blocks)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts a record's message and withholds exception messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if getattr(record, "_caseboard_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not leak its args
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = format_exception_safely(record.exc_info)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = None
        record._caseboard_redacted = True
        return True


_FILTER = RedactingFilter()
_previous_factory = logging.getLogRecordFactory()


def _redacting_factory(*args, **kwargs) -> logging.LogRecord:
    record = _previous_factory(*args, **kwargs)
    _FILTER.filter(record)
    return record


def _handlers() -> list[logging.Handler]:
    handlers = list(logging.getLogger().handlers)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            handlers.extend(logger.handlers)
    return handlers


def install() -> RedactingFilter:
    """Put the redacting filter on every current handler (idempotent; call again after new ones)."""
    with _installed_lock:
        if logging.getLogRecordFactory() is not _redacting_factory:
            logging.setLogRecordFactory(_redacting_factory)
        if not logging.getLogger().handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            logging.getLogger().addHandler(handler)
        for handler in _handlers():
            if _FILTER not in handler.filters:
                handler.addFilter(_FILTER)
        for name in ("streamlit", "caseboard", "pipelines", "dashboard"):
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
    return _FILTER


def excepthook(exc_type: type[BaseException], value: BaseException, tb: object) -> None:
    """A sys.excepthook that prints the type and frames of an uncaught error, never its message."""
    print(format_exception_safely((exc_type, value, tb)), file=sys.stderr)


BROKEN_PIPE = 141  # 128 + SIGPIPE: what the shell reports for a reader that stopped early


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


def safe_main(main, argv: list[str] | None = None) -> int:
    """Run a CLI ``main`` so an unexpected error prints its type and a safe message only.

    A reader that stops early (``caseboard metrics --json | head``) closes the pipe: that is
    normal, so the command stops quietly with 141 and claims nothing about the database
    (its work, a load included, is already done or already rolled back by then).
    """
    install()
    try:
        code = int(main(argv) or 0)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        print("caseboard: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence for patient data
        print(
            f"caseboard: unexpected error ({safe_exception_text(error)}); the database was "
            "left as it was. Details are withheld because they may quote patient data.",
            file=sys.stderr,
        )
        return 1
