"""Turn simulated rows into export files: a messy-but-valid flavour and a plain one.

The messy flavour (the shipped single-practice sample) exercises every "must
accept" rule of the standard format: a UTF-8 BOM, Windows-1252, semicolons,
tabs, header spellings, US dates, datetimes, `$1,234.50` and `(12.00)` amounts,
empty cells and extra columns. The plain flavour (multi-practice scale data) is
comma-separated UTF-8 with ISO dates and the schema's own column names.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caseboard.sample.practice import PracticeRows
from pipelines.schema import TABLES, Column


@dataclass(frozen=True)
class FileFormat:
    """How one table is written: file name, encoding, delimiter, headers, cell formats."""

    filename: str
    headers: tuple[str, ...]
    encoding: str = "utf-8"
    delimiter: str = ","
    newline: str = "\n"
    formats: tuple[str, ...] = ()


NOT_GENERATED = {"claims": ("carrier",)}
"""Optional columns the generator has no values for: left out of its files (loaded as NULL)."""


def _generated(table: str) -> tuple[Column, ...]:
    return tuple(c for c in TABLES[table].columns if c.name not in NOT_GENERATED.get(table, ()))


def _spec_headers(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in _generated(table))


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
    return FileFormat(
        f"{table}.csv", _spec_headers(table),
        formats=tuple(kinds[c.kind.value] for c in _generated(table)),
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


class _Cells(dict):
    """One cell format's texts by value, each formatted once (dates and fees recur)."""

    def __init__(self, text) -> None:
        super().__init__({None: ""})
        self.text = text

    def __missing__(self, value: object) -> str:
        text = self[value] = self.text(value)
        return text


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _us(ordinal: int) -> str:
    d = date.fromordinal(ordinal)
    return f"{d.month:02d}/{d.day:02d}/{d.year}"


def _us_short(ordinal: int) -> str:
    d = date.fromordinal(ordinal)
    return f"{d.month}/{d.day}/{d.year}"


def _cell_formats() -> dict[str, _Cells]:
    iso = _Cells(_iso)

    def datetime_text(value: tuple[int, int]) -> str:
        day, minutes = value
        return f"{iso[day]} {minutes // 60:02d}:{minutes % 60:02d}:00"

    return {"d": iso, "us": _Cells(_us), "usd": _Cells(_us_short), "dt": _Cells(datetime_text),
            "a": _Cells(_amount), "a,": _Cells(_amount_commas), "$": _Cells(_dollars)}


# Rows are formatted a slice at a time, column by column: bounded memory, C-speed loops.
_SLICE = 50_000
_EMPTY = {None: ""}.get  # _EMPTY(value, value): None -> "", any other value unchanged


def _codec(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _texts(column: tuple) -> tuple | list:
    """A text column with empty cells for None."""
    return list(map(_EMPTY, column, column)) if None in column else column


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class _Lines:
    """CSV lines as Python's csv.writer (QUOTE_MINIMAL) writes them, joined column-wise.

    A cell is quoted when it holds the delimiter, a double quote or a character of the
    line ending, with inner quotes doubled. Every table has several columns, so csv's
    quoted lone empty cell never arises.
    """

    def __init__(self, delimiter: str, newline: str) -> None:
        self.delimiter = delimiter
        self.newline = newline
        self.specials = {delimiter, '"', *newline}
        self.quoted = _Cells(self._quote)

    def _quote(self, text: str) -> str:
        return _quoted(text) if any(ch in text for ch in self.specials) else text

    def column(self, texts: tuple | list) -> tuple | list:
        """The cells of one column, quoted where needed."""
        probe = "".join(texts)
        if any(ch in probe for ch in self.specials):
            return list(map(self.quoted.__getitem__, texts))
        return texts

    def text(self, columns: list) -> str:
        """Rows given as columns of cell texts, each row ended by the line ending."""
        if not columns or not columns[0]:
            return ""
        cells = [self.column(texts) for texts in columns]
        lines = map(self.delimiter.join, zip(*cells, strict=True))
        return self.newline.join(lines) + self.newline


def render(rows: PracticeRows, formats: dict[str, FileFormat], header: bool) -> dict[str, bytes]:
    """Each table's rows as encoded file bytes (with the header line when ``header``)."""
    cells = _cell_formats()
    out: dict[str, bytes] = {}
    for table in TABLES:
        fmt = formats[table]
        lines = _Lines(fmt.delimiter, fmt.newline)
        parts = [lines.text([[name] for name in fmt.headers])] if header else []
        lookups = []
        for kind in fmt.formats[:len(fmt.headers)]:
            if kind != "s" and kind not in cells:
                raise ValueError(f"unknown cell format {kind!r}")
            lookups.append(None if kind == "s" else cells[kind].__getitem__)
        table_rows = getattr(rows, table)
        for first in range(0, len(table_rows), _SLICE):
            columns = zip(*table_rows[first:first + _SLICE], strict=True)
            # strict=False: columns past the headers (the plain flavour's tooth, payer) are left out
            parts.append(lines.text([
                _texts(column) if lookup is None else list(map(lookup, column))
                for lookup, column in zip(lookups, columns, strict=False)
            ]))
        out[table] = "".join(parts).encode(_codec(fmt.encoding))
    return out


class ExportWriter:
    """Appends rendered tables to one file per table in ``out``."""

    def __init__(self, out: Path, formats: dict[str, FileFormat]) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.formats = formats
        self.handles = {}
        for table, fmt in formats.items():
            handle = open(out / fmt.filename, "wb")
            if fmt.encoding == "utf-8-sig":
                handle.write(codecs.BOM_UTF8)
            self.handles[table] = handle

    def append(self, data: dict[str, bytes]) -> None:
        """Write one practice's rendered tables."""
        for table, chunk in data.items():
            self.handles[table].write(chunk)

    def close(self) -> None:
        """Close every file."""
        for handle in self.handles.values():
            handle.close()
