"""Privacy helpers: initials, masked phones, de-identified messages, formula-safe CSV cells."""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from caseboard import logsafe

HIDDEN = "(hidden)"
_QUOTED = re.compile(r'"[^"]*"')

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def initials(first_name: str | None, last_name: str | None) -> str:
    """Return 'J. S.' style initials for a patient name (empty parts skipped)."""
    parts = [p.strip()[0].upper() + "." for p in (first_name, last_name) if p and p.strip()]
    return " ".join(parts)


def mask_phone(phone: str | None) -> str | None:
    """Keep only the last two digits of a phone number: '(555) 123-4567' -> '***-**67'."""
    if not phone:
        return phone
    digits = re.sub(r"\D", "", phone)
    return "***-**" + digits[-2:] if digits else "***"


def deidentify_text(text: str | None, values: Iterable[object] = ()) -> str | None:
    """Hide what a message may quote from patient data, for de-identified screens.

    The given ``values`` (a refused cell) and anything in double quotes become
    '(hidden)' (reject reasons quote the offending value so), then emails and phone
    numbers left anywhere are redacted.
    """
    if not text:
        return text
    for value in sorted({str(v) for v in values if v is not None and str(v)}, key=len,
                        reverse=True):
        text = text.replace(value, HIDDEN)
    return logsafe.redact(_QUOTED.sub(f'"{HIDDEN}"', text))


def csv_safe_cell(value: object) -> object:
    """Neutralise a spreadsheet formula: quote text starting with = + - @ tab or CR."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return ``frame`` with every text cell made safe to open in a spreadsheet."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.Utf8]
    return frame.with_columns(
        pl.when(pl.any_horizontal(pl.col(name).str.starts_with(p) for p in FORMULA_PREFIXES))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def people_view(frame: pl.DataFrame, deidentify: bool) -> pl.DataFrame:
    """Add a 'patient' name column (initials when de-identifying) and mask phones if asked."""
    if deidentify:
        names = [initials(f, la) for f, la in zip(frame["first_name"], frame["last_name"],
                                                         strict=True)]
        phones = [mask_phone(p) for p in frame["phone"]]
    else:
        names = [" ".join(p for p in (f, la) if p) for f, la in zip(frame["first_name"],
                                                                    frame["last_name"],
                                                                    strict=True)]
        phones = list(frame["phone"])
    return frame.with_columns(
        pl.Series("patient", names, dtype=pl.Utf8),
        pl.Series("phone", phones, dtype=pl.Utf8),
    ).drop("first_name", "last_name")


def mask_notes(frame: pl.DataFrame, deidentify: bool, column: str = "note") -> pl.DataFrame:
    """Replace every non-empty free-text note with '(hidden)' when de-identifying."""
    if not deidentify:
        return frame
    return frame.with_columns(
        pl.when(pl.col(column).is_not_null() & (pl.col(column) != ""))
        .then(pl.lit("(hidden)")).otherwise(pl.col(column)).alias(column))
