"""Parsing Open Dental's text values: keys, integers, dates, datetimes and money.

Dates, datetimes and money are parsed once per table (``_typed``) into hidden
columns ``<name>__v`` (the value, blank -> null) and ``<name>__bad`` (text that
is neither blank nor parseable); the helpers read those columns.
"""

from __future__ import annotations

import polars as pl

from pipelines.opendental.catalogue import AMOUNT, BLANK_YEAR, DATETIME, TRUE_TEXT


def _clean(name: str) -> pl.Expr:
    """Trimmed text, empty -> null."""
    text = pl.col(name).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _key(name: str) -> pl.Expr:
    """An Open Dental key as exact text; 0 (none) -> null."""
    text = _clean(name)
    return pl.when(text == "0").then(None).otherwise(text)


def _bool(name: str) -> pl.Expr:
    """A boolean written 0/1, t/f or true/false; anything else is false."""
    return _clean(name).str.to_lowercase().is_in(TRUE_TEXT).fill_null(False)


def _int(name: str) -> pl.Expr:
    return _clean(name).cast(pl.Int64, strict=False)


# Dates, datetimes and money are parsed once per table (``_typed``) into hidden
# columns ``<name>__v`` (the value, blank -> null) and ``<name>__bad`` (text that
# is neither blank nor parseable); the helpers below read those columns.
TYPED: dict[str, dict[str, tuple[str, ...]]] = {
    "patient": {"date": ("Birthdate",)},
    "procedurelog": {"date": ("ProcDate", "DateTP"), "float": ("ProcFee",)},
    "treatplan": {"date": ("DateTP",), "datetime": ("DateTSigned",)},
    "appointment": {"datetime": ("AptDateTime", "SecDateTEntry")},
    "paysplit": {"date": ("DatePay",), "float": ("SplitAmt",)},
    "adjustment": {"date": ("AdjDate",), "float": ("AdjAmt",)},
    "claim": {
        "date": ("DateService", "DateSent", "DateReceived"),
        "float": ("ClaimFee", "InsPayEst", "InsPayAmt"),
    },
    "claimproc": {"date": ("DateCP", "ProcDate"), "float": ("InsPayAmt", "WriteOff")},
}


def _parse_date(text: pl.Expr) -> pl.Expr:
    us = text.str.split(" ").list.first().str.to_date("%m/%d/%Y", strict=False)
    return pl.coalesce(
        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
        pl.when(text.str.contains("/", literal=True)).then(us),
    )


def _parse_datetime(text: pl.Expr, day: pl.Expr) -> pl.Expr:
    stamp = text.str.slice(0, 19).str.replace("T", " ", literal=True)
    return pl.coalesce(
        stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        stamp.str.to_datetime("%Y-%m-%d %H:%M", strict=False, time_unit="us"),
        day.cast(DATETIME),
    )


def _typed(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Add the parsed ``__v`` and ``__bad`` columns of the table's dates and money."""
    kinds = TYPED.get(table, {})
    columns = [(kind, name) for kind, names in kinds.items() for name in names]
    if not columns:
        return frame
    # three steps so each text is cleaned and each date parsed once
    frame = frame.with_columns(_clean(name).alias(f"{name}__t") for _, name in columns)
    frame = frame.with_columns(
        (
            pl.col(f"{name}__t").cast(pl.Float64, strict=False)
            if kind == "float"
            else _parse_date(pl.col(f"{name}__t"))
        ).alias(f"{name}__p")
        for kind, name in columns
    )
    exprs: list[pl.Expr] = []
    for kind, name in columns:
        text, parsed = pl.col(f"{name}__t"), pl.col(f"{name}__p")
        if kind == "float":
            exprs += [  # blank money is 0: Open Dental never stores NULL there, replicas do
                pl.when(text.is_null()).then(0.0).otherwise(parsed).alias(f"{name}__v"),
                (text.is_not_null() & parsed.is_null()).alias(f"{name}__bad"),
            ]
            continue
        blank = (
            text.is_null()
            | text.str.starts_with("0000-00-00").fill_null(False)
            | (parsed.dt.year() <= BLANK_YEAR).fill_null(False)
        )
        value = _parse_datetime(text, parsed) if kind == "datetime" else parsed
        exprs += [
            pl.when(blank).then(None).otherwise(value).alias(f"{name}__v"),
            (~blank & value.is_null()).alias(f"{name}__bad"),
        ]
    hidden = [f"{name}__{part}" for _, name in columns for part in ("t", "p")]
    return frame.with_columns(exprs).drop(hidden)


def _date(name: str) -> pl.Expr:
    """A date; blank (0001-01-01, any year <= 1880, 0000-00-00, empty) -> null."""
    return pl.col(f"{name}__v")


def _bad_date(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _datetime(name: str) -> pl.Expr:
    """A datetime; blank -> null."""
    return pl.col(f"{name}__v")


def _bad_datetime(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _float(name: str) -> pl.Expr:
    return pl.col(f"{name}__v")


def _bad_number(name: str) -> pl.Expr:
    return pl.col(f"{name}__bad")


def _cents(expr: pl.Expr) -> pl.Expr:
    """A float money value rounded to cents, as an exact amount."""
    return expr.round(2).cast(AMOUNT)
