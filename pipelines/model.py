"""What a reader hands the loader: typed frames, refused rows and file facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from pipelines.stage import Stage


QUOTE_CHARS = 80
"""How much of a refused value a reason quotes."""
VALUE_CHARS = 1000
"""How much of a refused value a reject keeps."""


def quoted(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as a reason quotes it: in double quotes, cut after ``limit`` characters
    with its full length said ('"ZZZ…" (1,048,576 characters)')."""
    text = str(value)
    if len(text) <= limit:
        return f'"{text}"'
    return f'"{text[:limit]}…" ({len(text):,} characters)'


def clipped(value: str | None, limit: int = VALUE_CHARS) -> str | None:
    """A refused value as a reject keeps it: at most ``limit`` characters, then '…'."""
    if value is None or len(value) <= limit:
        return value
    return value[:limit] + "…"


@dataclass(frozen=True)
class Reject:
    """One refused row (or whole file) with the reason a person can act on."""

    table: str
    file: str
    row: int | None
    key: str | None
    column: str | None
    value: str | None
    reason: str
    row_data: dict[str, str | None] | None = None


@dataclass(frozen=True)
class FileInfo:
    """One input file: its name, checksum (sha256 hex) and size."""

    table: str
    name: str
    sha256: str
    size: int


@dataclass
class ReadResult:
    """Everything a reader produced from one export.

    ``frames`` maps a standard table name to a DataFrame with exactly that
    table's columns (pipelines/schema.py) typed for loading: ids and text
    Utf8, dates Date, datetimes Datetime, amounts Decimal(18, 4), enums Utf8.
    ``read_counts`` counts the rows read per table (loaded + refused).
    ``notes`` are informational lines for the load report (e.g. extra columns
    ignored, deleted Open Dental patients skipped).
    ``extra_tables`` maps a source-specific raw table name (e.g. the Open
    Dental adapter's ``od_procedurelog``, sql/schema/003_opendental.sql) to
    rows the loader stores beside the standard tables, for reconciliation.
    """

    fmt: str
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    read_counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra_tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    row_numbers: dict[str, pl.Series] = field(default_factory=dict)
    """Optional, per table: the spreadsheet row number (header = 1) of each frame row."""
    stage: Stage | None = None
    """Instead of ``frames``: a staging database holding the typed rows (pipelines/stage.py)."""
    complete: bool = False
    """The export holds whole tables (a live database, a full table export): rows it lacks
    were deleted at the source, as with ``--full``."""
    origin: str | None = None
    """Where the rows came from, when the reader knows (``mysql://host:port/database``)."""
    default_source: str | None = None
    """The source id to load as when none is given (a live database: ``database@host``)."""
    checksums: dict[str, str] = field(default_factory=dict)
    """Per source table, a checksum read before the rows (cheap change detection)."""
    practice_names: dict[str, str] = field(default_factory=dict)
    """practice_id -> its name (Open Dental: the clinic's Abbr, else Description)."""


class ExportRefused(Exception):  # noqa: N818 - reads as a verdict
    """The whole export is refused (missing table or column, unreadable file); nothing loads."""

    def __init__(self, rejects: list[Reject]):
        self.rejects = rejects
        super().__init__("; ".join(reject.reason for reject in rejects))
