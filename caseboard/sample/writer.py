"""Turn simulated rows into export files: a messy-but-valid flavour and a plain one.

The messy flavour (the shipped single-practice sample) exercises every "must
accept" rule of the standard format: a UTF-8 BOM, Windows-1252, semicolons,
tabs, header spellings, US dates, datetimes, `$1,234.50` and `(12.00)` amounts,
empty cells and extra columns. The plain flavour (multi-practice scale data) is
comma-separated UTF-8 with ISO dates and the schema's own column names.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caseboard.sample.practice import PracticeRows
from pipelines.schema import TABLES


@dataclass(frozen=True)
class FileFormat:
    """How one table is written: file name, encoding, delimiter, headers, cell formats."""

    filename: str
    headers: tuple[str, ...]
    encoding: str = "utf-8"
    delimiter: str = ","
    newline: str = "\n"
    formats: tuple[str, ...] = ()


def _spec_headers(table: str) -> tuple[str, ...]:
    return TABLES[table].column_names


# cell formats: id/text "s", ISO date "d", US date zero-padded "us", US date "m/d" "usd",
# datetime "dt", amount "a", amount with thousands "a,", dollar/parenthesised "$"
MESSY: dict[str, FileFormat] = {
    "patients": FileFormat(
        "patients.csv",
        ("Patient ID", "Practice ID", "First Name", "Last Name", "Phone", "Email", "Birth Date",
         "Status", "First Visit Date", "Referral Source"),
        encoding="utf-8-sig",
        formats=("s", "s", "s", "s", "s", "s", "us", "s", "d", "s"),
    ),
    "team": FileFormat(
        "team.csv", ("Member-ID", "Practice-ID", "Name", "Role"), formats=("s",) * 4,
    ),
    "treatment_plans": FileFormat(
        "treatment_plans.txt", _spec_headers("treatment_plans"), delimiter="\t",
        formats=("s", "s", "s", "d", "s", "s", "d"),
    ),
    "procedures": FileFormat(
        "procedures.csv", (*_spec_headers("procedures"), "tooth"),
        formats=("s", "s", "s", "s", "s", "s", "s", "a", "s", "d", "d", "d", "d", "s"),
    ),
    "appointments": FileFormat(
        "appointments.csv",
        ("Appointment ID", "Practice ID", "Patient ID", "Start", "Status", "Booked At",
         "Provider ID"),
        formats=("s", "s", "s", "dt", "s", "dt", "s"),
    ),
    "payments": FileFormat(
        "payments.csv",
        ("Payment ID", "Practice ID", "Patient ID", "Date", "Amount", "Source", "Method", "Payer"),
        encoding="cp1252", delimiter=";", newline="\r\n",
        formats=("s", "s", "s", "us", "$", "s", "s", "s"),
    ),
    "adjustments": FileFormat(
        "adjustments.csv", _spec_headers("adjustments"),
        formats=("s", "s", "s", "usd", "a", "s"),
    ),
    "claims": FileFormat(
        "claims.csv", _spec_headers("claims"),
        formats=("s", "s", "s", "d", "d", "s", "a,", "a,", "a,", "d"),
    ),
}


def _plain(table: str) -> FileFormat:
    kinds = {"id": "s", "text": "s", "enum": "s", "date": "d", "datetime": "dt", "amount": "a"}
    spec = TABLES[table]
    return FileFormat(
        f"{table}.csv", spec.column_names,
        formats=tuple(kinds[c.kind.value] for c in spec.columns),
    )


PLAIN: dict[str, FileFormat] = {table: _plain(table) for table in TABLES}


def _amount(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _amount_commas(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"


def _dollars(cents: int) -> str:
    if cents < 0:
        return f"({_amount_commas(-cents)})"
    return f"${_amount_commas(cents)}"


class _Cells:
    """Formats cells, caching date strings (the same few thousand dates recur)."""

    def __init__(self) -> None:
        self.dates: dict[tuple[str, int], str] = {}

    def date(self, fmt: str, ordinal: int) -> str:
        key = (fmt, ordinal)
        text = self.dates.get(key)
        if text is None:
            d = date.fromordinal(ordinal)
            if fmt == "d":
                text = d.isoformat()
            elif fmt == "us":
                text = f"{d.month:02d}/{d.day:02d}/{d.year}"
            else:
                text = f"{d.month}/{d.day}/{d.year}"
            self.dates[key] = text
        return text

    def cell(self, fmt: str, value: object) -> str:
        if value is None:
            return ""
        if fmt == "s":
            return value  # type: ignore[return-value]
        if fmt in ("d", "us", "usd"):
            return self.date(fmt, value)  # type: ignore[arg-type]
        if fmt == "dt":
            day, minutes = value  # type: ignore[misc]
            return f"{self.date('d', day)} {minutes // 60:02d}:{minutes % 60:02d}:00"
        if fmt == "a":
            return _amount(value)  # type: ignore[arg-type]
        if fmt == "a,":
            return _amount_commas(value)  # type: ignore[arg-type]
        if fmt == "$":
            return _dollars(value)  # type: ignore[arg-type]
        raise ValueError(f"unknown cell format {fmt!r}")


def render(rows: PracticeRows, formats: dict[str, FileFormat], header: bool) -> dict[str, str]:
    """Each table's rows as file text (with the header line when ``header``)."""
    cells = _Cells()
    out: dict[str, str] = {}
    for table in TABLES:
        fmt = formats[table]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=fmt.delimiter, lineterminator=fmt.newline)
        if header:
            writer.writerow(fmt.headers)
        width = len(fmt.headers)
        kinds = fmt.formats
        for row in getattr(rows, table):
            writer.writerow([cells.cell(kinds[i], row[i]) for i in range(width)])
        out[table] = buffer.getvalue()
    return out


class ExportWriter:
    """Appends rendered tables to one file per table in ``out``."""

    def __init__(self, out: Path, formats: dict[str, FileFormat]) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.formats = formats
        self.handles = {}
        for table, fmt in formats.items():
            handle = open(out / fmt.filename, "w", encoding=fmt.encoding,
                          newline="")
            self.handles[table] = handle
        self.wrote_header = False

    def append(self, texts: dict[str, str]) -> None:
        """Write one practice's rendered tables."""
        for table, text in texts.items():
            self.handles[table].write(text)
        self.wrote_header = True

    def close(self) -> None:
        """Close every file."""
        for handle in self.handles.values():
            handle.close()
