"""Patient data and secrets never reach logs or crash output."""

from __future__ import annotations

import logging
import subprocess
import sys

import polars as pl
import pytest

from caseboard import logsafe, privacy


@pytest.fixture
def capture():
    """A handler on a fresh logger that records formatted lines, with the filter installed."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("caseboard.test_logsafe")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logsafe.install()
    yield logger, lines
    logger.removeHandler(handler)
    logsafe.clear_registered()


@pytest.mark.parametrize(
    "secret",
    [
        "ann.lee+dental@example.co.uk",
        "(555) 123-4567",
        "555-123-4567",
        "+1 555 123 4567",
        "5551234567",
    ],
)
def test_emails_and_phones_redacted(capture, secret):
    logger, lines = capture
    logger.warning("row for %s refused", secret)
    assert lines == [f"WARNING row for {logsafe.REDACTED} refused"]


def test_passwords_redacted_in_urls_and_settings(capture):
    logger, lines = capture
    logger.info("connecting mysql://od_user:Hunter2!x@10.0.0.5:3306/opendental")
    logger.info("pymysql.connect(host=db, password='Sw0rdfish', user=od)")
    logger.info("--password Tr0ub4dor")
    text = "\n".join(lines)
    assert "Hunter2!x" not in text and "Sw0rdfish" not in text
    assert "Tr0ub4dor" not in text
    assert "mysql://od_user:[redacted]@10.0.0.5:3306" in text
    assert lines[2] == "INFO --password [redacted]"


def test_registered_names_redacted(capture):
    logger, lines = capture
    logsafe.register(["Zebulon", "Quetzalcoatl", None, "Al"])
    logger.error("could not parse row: Zebulon Quetzalcoatl, Al Smith")
    # names of >= 3 characters registered; 'Al' too short to redact safely
    assert lines == ["ERROR could not parse row: [redacted] [redacted], Al Smith"]


def test_exception_messages_withheld_from_logged_tracebacks(capture):
    logger, lines = capture
    frame = pl.DataFrame({"last_name": ["Xylophonica"], "fee": ["12x"]})
    try:
        try:
            frame.with_columns(pl.col("fee").cast(pl.Int64))
        except Exception as inner:
            raise ValueError("bad row: last_name=Xylophonica") from inner
    except ValueError:
        logger.exception("load failed")
    text = "\n".join(lines)
    assert "Xylophonica" not in text and "12x" not in text
    assert "builtins.ValueError: [message withheld]" in text
    assert "InvalidOperationError: [message withheld]" in text  # the cause is listed too
    assert "test_logsafe.py" in text  # frames are kept for debugging


def test_streamlit_loggers_are_filtered_too():
    from streamlit.logger import get_logger

    logsafe.install()
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger = get_logger("streamlit.test_logsafe_probe")
    handler = Collect()
    logger.addHandler(handler)
    try:
        logger.error("patient ann@example.com called from 555-123-4567")
    finally:
        logger.removeHandler(handler)
    assert lines == ["patient [redacted] called from [redacted]"]


def test_safe_main_prints_type_not_message(capsys):
    def boom(argv):
        raise RuntimeError("cannot cast 'Quibblesworth' to DATE")

    assert logsafe.safe_main(boom, []) == 1
    err = capsys.readouterr().err
    assert "Quibblesworth" not in err
    assert "RuntimeError" in err


def test_uncaught_exception_hook_withholds_message():
    code = (
        "import sys; from caseboard import logsafe; sys.excepthook = logsafe.excepthook\n"
        "raise KeyError('Grumpelstilt 555-867-5309')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Grumpelstilt" not in proc.stderr and "867" not in proc.stderr
    assert "builtins.KeyError: [message withheld]" in proc.stderr


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_safe_frame_neutralises_each_formula_prefix(prefix):
    cell = prefix + "HYPERLINK(\"http://x\",\"y\")"
    frame = pl.DataFrame({"name": [cell, "Ann"], "amount": [-12.5, 3.0]})
    safe = privacy.csv_safe_frame(frame)
    assert safe["name"].to_list() == ["'" + cell, "Ann"]
    assert safe["amount"].to_list() == [-12.5, 3.0]  # numbers stay numbers, minus sign kept
    assert privacy.csv_safe_cell(cell) == "'" + cell
    # what a spreadsheet would read back: the quoted text, never a live formula
    back = pl.read_csv(safe.write_csv().encode())
    assert back["name"].to_list() == ["'" + cell, "Ann"]


def test_csv_safe_frame_keeps_nulls_and_plain_text():
    frame = pl.DataFrame({"a": [None, "x=1", " =1", "'=1"]})
    assert privacy.csv_safe_frame(frame)["a"].to_list() == [None, "x=1", " =1", "'=1"]


def test_initials_and_mask_phone():
    assert privacy.initials("ann", "Lee") == "A. L."
    assert privacy.initials(None, " van Dyke") == "V."
    assert privacy.mask_phone("(555) 123-4567") == "***-**67"
    assert privacy.mask_phone("ext") == "***"
    assert privacy.mask_phone(None) is None
