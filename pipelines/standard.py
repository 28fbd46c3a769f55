"""Reader of the standard export format (../shared/spec/data-format.md).

Every file is read as text first (no type inference), then each column is
validated and parsed by Polars expressions, vectorised: a per-row reason
column per export column says what is wrong, rows without any reason are
typed for loading, rows with one become `Reject`s naming the file, the row as
a spreadsheet user counts it (header = row 1), the key, the column, the value
and what was expected.

Accepted: ``.csv``/``.txt`` (comma, semicolon or tab, sniffed from the header
line; UTF-8 with or without BOM, else Windows-1252, transcoded to UTF-8 before
Polars scans it), ``.xlsx`` (first sheet) and ``.parquet``. Header names are
case-insensitive, and spaces, dashes and underscores are the same.

References between tables are checked by the loader (it also knows the rows
already in the database); duplicate keys, dates, amounts, enumerations and
empty required cells are checked here.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipelines.archive import UnsafeArchive
from pipelines.model import ExportRefused, FileInfo, ReadResult, Reject, clipped, quoted
from pipelines.schema import LOAD_DTYPES, TABLES, Column, Kind, TableSpec
from pipelines.stage import Stage
from pipelines.textfiles import header_line, sha256_file, utf8_text, utf16_encoding
from pipelines.workbook import WorkbookTooLarge, check_workbook

FORMAT = "standard"
EXTENSIONS = (".csv", ".txt", ".xlsx", ".parquet")
DELIMITERS = (",", ";", "\t")
MAX_DECIMALS = 4
MAX_INTEGER_DIGITS = 14
BATCH_ROWS = 250_000
CSV_BLOCK_BYTES = 4 * 1024**2
ROW = "__row"

_TIME = (
    r"(?:[T ]+(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?"
    r"\s*(?P<p>[AaPp][Mm])?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
ISO_DATE = r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})" + _TIME + "$"
US_DATE = r"^(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4})" + _TIME + "$"
AMOUNT = (
    r"^(?P<open>\()?(?P<neg>-)?\$?(?P<neg2>-)?"
    r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.(?P<frac>[0-9]*))?(?P<close>\))?$"
)
DATE_EXPECTED = "expected YYYY-MM-DD or MM/DD/YYYY"
DATETIME_EXPECTED = "expected YYYY-MM-DD HH:MM or MM/DD/YYYY HH:MM"
AMOUNT_EXPECTED = "expected a number such as 1234.50, $1,234.50, -12.00 or (12.00)"
MESSAGES = {
    "empty": "is empty (a value is required)",
    "date": '{value} is not a date (' + DATE_EXPECTED + ")",
    "datetime": '{value} is not a date and time (' + DATETIME_EXPECTED + ")",
    "amount": '{value} is not an amount (' + AMOUNT_EXPECTED + ")",
    "decimals": '{value} has more than ' + str(MAX_DECIMALS) + " decimal places",
    "large": '{value} is too large for an amount',
    "enum": '{value} is not an allowed {column} (expected one of: {allowed})',
    "completed": "is empty but status is completed (completed procedures need a date)",
    "practice": "is empty and no practice was given (fill the column or load with --practice ID)",
    "nul": "holds a NUL character (a zero byte), which no text may hold: remove it in the export",
}
"""Problem codes (computed per cell by Polars) -> the sentence shown for a refused row."""


def normalise_name(name: str) -> str:
    """Header or file-name form used for matching: lower case, spaces/dashes/underscores as '_'."""
    return re.sub(r"[\s\-_]+", "_", name.replace("\ufeff", "").strip().lower()).strip("_")


def table_files(paths: list[Path]) -> dict[str, Path]:
    """Map table name -> file for the given files and folders; refuse duplicates and unknowns."""
    candidates: list[Path] = []
    for path in paths:
        if path.is_dir():
            candidates += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            candidates.append(path)
    found: dict[str, Path] = {}
    refused: list[Reject] = []
    for path in candidates:
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        table = normalise_name(path.stem)
        if table not in TABLES or path.suffix.lower() not in EXTENSIONS:
            continue
        if table in found:
            refused.append(Reject(
                table, path.name, None, None, None, None,
                f"two files for table {table}: {found[table].name} and {path.name}; keep one",
            ))
            continue
        found[table] = path
    if refused:
        raise ExportRefused(refused)
    return found


def sniff_delimiter(header: str) -> str:
    """The delimiter of a header line: comma, semicolon or tab, whichever is most outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


@contextlib.contextmanager
def _utf8_text(path: Path) -> Iterator[tuple[Path, str]]:
    """Yield a UTF-8 version of a delimited file and its encoding name; refuse other bytes."""
    with contextlib.ExitStack() as stack:
        try:
            converted = stack.enter_context(utf8_text(path))
        except UnicodeError as error:
            found = "UTF-16 text with a broken character" if utf16_encoding(path) else (
                "not UTF-8, UTF-16 or Windows-1252 text")
            raise ExportRefused([Reject(
                normalise_name(path.stem), path.name, None, None, None, None,
                f"{path.name}: {found} (byte {getattr(error, 'start', '?')}); save it as"
                " UTF-8 CSV",
            )]) from None
        yield converted


class TableText:
    """One table file as text: its header names, then its rows in batches of text columns."""

    def __init__(self, path: Path, names: list[str], batches):
        self.path = path
        self.names = names
        self._batches = batches
        self.ragged: list[tuple[int | None, int, int]] = []
        """Rows skipped for a wrong field count: (row number, fields expected, fields found)."""
        self.uncached: dict[int, list[str]] = {}
        """Workbook rows -> header names of formula cells saved without a value (refused)."""

    def batches(self, columns: list[str] | None = None) -> Iterator[pl.DataFrame]:
        """Yield DataFrames of text (all columns, or only ``columns``) in file order."""
        return self._batches(columns)


def _csv_text(path: Path) -> TableText:
    """A UTF-8 csv/txt read in batches by pyarrow, every column as text, nothing inferred."""
    header = header_line(path)
    delimiter = sniff_delimiter(header)
    names = next(csv.reader(io.StringIO(header), delimiter=delimiter)) if header else []
    names = [name.replace("\ufeff", "") for name in names]

    def batches(columns: list[str] | None) -> Iterator[pl.DataFrame]:
        if not names:
            return
        text.ragged.clear()

        def skip_ragged(row) -> str:
            text.ragged.append((row.number, row.expected_columns, row.actual_columns))
            return "skip"

        reader = pa_csv.open_csv(
            path,
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, block_size=CSV_BLOCK_BYTES, use_threads=False
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=skip_ragged
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                include_columns=columns or names,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        for batch in reader:
            yield pl.from_arrow(pa.Table.from_batches([batch]))

    text = TableText(path, names, batches)
    return text


def _parquet_text(path: Path) -> TableText:
    """A parquet file read in row batches, every column cast to text."""
    parquet = pq.ParquetFile(path)
    names = parquet.schema_arrow.names

    def batches(columns: list[str] | None) -> Iterator[pl.DataFrame]:
        for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns or names):
            yield _as_text(pl.from_arrow(pa.Table.from_batches([batch])).lazy()).collect()

    return TableText(path, names, batches)


def _excel_text(path: Path) -> TableText:
    """The first sheet of an .xlsx, every cell as text (date cells as ISO text).

    The sheet is read whole, so what it may expand to is bounded first
    (pipelines.workbook): a workbook past the bounds is refused before it is read.
    """
    try:
        facts = check_workbook(path)
    except (WorkbookTooLarge, UnsafeArchive) as error:
        raise ExportRefused([Reject(
            normalise_name(path.stem), path.name, None, None, None, None, str(error),
        )]) from None
    try:
        frame = _as_text(pl.read_excel(path, infer_schema_length=0).lazy()).collect()
    except Exception as error:  # noqa: BLE001 - the reader's message may quote cells
        raise ExportRefused([Reject(
            normalise_name(path.stem), path.name, None, None, None, None,
            f"{path.name} cannot be read as an Excel workbook ({type(error).__name__})",
        )]) from None

    def batches(columns: list[str] | None) -> Iterator[pl.DataFrame]:
        yield frame.select(columns or frame.columns)

    text = TableText(path, frame.columns, batches)
    for sheet_row, sheet_column in facts.uncached_formulas:
        row, index = sheet_row - facts.first_row + 1, sheet_column - facts.first_column
        if row > 1 and 0 <= index < len(frame.columns):
            text.uncached.setdefault(row, []).append(frame.columns[index])
    return text


def _as_text(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Cast every column of a typed source (parquet, Excel) to text the validators read."""
    schema = frame.collect_schema()
    casts = []
    for name, dtype in schema.items():
        if dtype == pl.Date:
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype != pl.String:
            casts.append(pl.col(name).cast(pl.String))
    return frame.with_columns(casts) if casts else frame


def _clean(name: str) -> pl.Expr:
    text = pl.col(name).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text).alias(name)


def _stage_name(column: str, stage: str) -> str:
    return f"__{stage}_{column}"


def _datetime_from(iso: pl.Expr, us: pl.Expr) -> pl.Expr:
    """Datetime from the ISO or US regex groups (struct columns); null when impossible."""
    matched_iso = iso.struct.field("y").is_not_null()

    def part(name: str) -> pl.Expr:
        return pl.when(matched_iso).then(iso.struct.field(name)).otherwise(us.struct.field(name))

    hour = part("H").cast(pl.Int32, strict=False).fill_null(0)
    ampm = part("p").str.to_lowercase()
    hour = (
        pl.when(ampm.is_null()).then(hour)
        .when((hour < 1) | (hour > 12)).then(99)
        .when(ampm == "pm").then(hour % 12 + 12)
        .otherwise(hour % 12)
    )
    text = pl.concat_str(
        part("y"), pl.lit("-"), part("m").str.zfill(2), pl.lit("-"), part("d").str.zfill(2),
        pl.lit(" "), hour.cast(pl.String).str.zfill(2), pl.lit(":"),
        part("M").fill_null("00"), pl.lit(":"), part("S").fill_null("00"),
    )
    return text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")


def _amount_value(parts: pl.Expr) -> pl.Expr:
    """Decimal(18, 4) from the amount regex groups (meaningful only where there is no problem)."""
    digits = parts.struct.field("int").str.replace_all(",", "").fill_null("0")
    fraction = parts.struct.field("frac").fill_null("").str.pad_end(1, "0")
    magnitude = pl.concat_str(digits, pl.lit("."), fraction).cast(
        pl.Decimal(18, MAX_DECIMALS), strict=False
    )
    negative = (
        parts.struct.field("open").is_not_null()
        | parts.struct.field("neg").is_not_null()
        | parts.struct.field("neg2").is_not_null()
    )
    return pl.when(negative).then(-magnitude).otherwise(magnitude)


def _amount_problem(parts: pl.Expr) -> pl.Expr:
    """The problem code of amount text (null when fine), from the amount regex groups."""
    integer = parts.struct.field("int")
    fraction = parts.struct.field("frac")
    opened = parts.struct.field("open").is_not_null()
    closed = parts.struct.field("close").is_not_null()
    minus = parts.struct.field("neg").is_not_null() | parts.struct.field("neg2").is_not_null()
    shape_ok = (
        (integer.is_not_null() | (fraction.str.len_chars().fill_null(0) > 0))
        & (opened == closed)
        & ~(opened & minus)
        & ~(parts.struct.field("neg").is_not_null() & parts.struct.field("neg2").is_not_null())
    )
    digits = integer.str.replace_all(",", "").str.len_chars().fill_null(0)
    return (
        pl.when(~shape_ok).then(pl.lit("amount"))
        .when(fraction.str.len_chars().fill_null(0) > MAX_DECIMALS).then(pl.lit("decimals"))
        .when(digits > MAX_INTEGER_DIGITS).then(pl.lit("large"))
    )


def column_stages(column: Column) -> tuple[list[pl.Expr], pl.Expr, pl.Expr]:
    """(regex extractions, parsed value, problem code or null) for one column read as text.

    The three run as successive ``with_columns`` stages: the value reads the
    extractions and the problem reads the value by name, so each regex runs
    once per cell.
    """
    name = column.name
    raw = pl.col(name)
    value_column = pl.col(_stage_name(name, "value"))
    prep: list[pl.Expr] = []
    if column.kind in (Kind.ID, Kind.TEXT):
        value = raw
        problem = pl.when(raw.str.contains("\x00", literal=True)).then(pl.lit("nul"))
    elif column.kind in (Kind.DATE, Kind.DATETIME):
        iso, us = _stage_name(name, "iso"), _stage_name(name, "us")
        prep = [raw.str.extract_groups(ISO_DATE).alias(iso),
                raw.str.extract_groups(US_DATE).alias(us)]
        value = _datetime_from(pl.col(iso), pl.col(us))
        if column.kind == Kind.DATE:
            value = value.dt.date()
        problem = pl.when(value_column.is_null()).then(pl.lit(column.kind.value))
    elif column.kind == Kind.AMOUNT:
        parts = _stage_name(name, "amount")
        prep = [raw.str.extract_groups(AMOUNT).alias(parts)]
        value = _amount_value(pl.col(parts))
        problem = _amount_problem(pl.col(parts))
    else:
        value = raw.str.to_lowercase().str.replace_all(r"[\s\-]+", "_")
        problem = pl.when(~value_column.is_in(list(column.values))).then(pl.lit("enum"))
    if column.required:
        problem = pl.when(raw.is_null()).then(pl.lit("empty")).otherwise(problem)
    else:
        problem = pl.when(raw.is_null()).then(None).otherwise(problem)
    return prep, value.alias(_stage_name(name, "value")), problem


def _row_checks(spec: TableSpec) -> list[tuple[str, pl.Expr]]:
    """Checks across columns of one row: (column blamed, problem code or null)."""
    if spec.name == "procedures":
        return [(
            "completed_date",
            pl.when(
                (pl.col("status").str.to_lowercase().str.strip_chars() == "completed")
                & pl.col("completed_date").is_null()
            ).then(pl.lit("completed")),
        )]
    return []


def _problem_name(column: str) -> str:
    return f"__problem_{column}"


def _duplicates(
    spec: TableSpec, text: TableText, mapping: dict[str, str]
) -> tuple[pl.DataFrame, pl.Series]:
    """Keys found on more than one row with those rows, and the ragged-row shift.

    A pass over the key column alone; it also meets every row with a wrong
    field count (skipped, recorded in ``text.ragged``).
    """
    parts = [pl.DataFrame(schema={spec.key: pl.String})]
    for batch in text.batches([mapping[spec.key]]):
        parts.append(batch.select(_clean(mapping[spec.key]).alias(spec.key)))
    unknown = [row for row, _, _ in text.ragged if row is None]
    if unknown:
        raise ExportRefused([Reject(
            spec.name, text.path.name, None, None, None, None,
            f"{text.path.name} has rows with a wrong number of fields that cannot be located",
        )])
    shift = _row_shift([row for row, _, _ in text.ragged])
    keys = _with_rows(pl.concat(parts), 2, shift)
    duplicates = (
        keys.filter(pl.col(spec.key).is_not_null() & pl.col(spec.key).is_duplicated())
        .group_by(spec.key)
        .agg(pl.col(ROW).sort().alias("rows"))
    )
    return duplicates, shift


def _ragged_rejects(spec: TableSpec, text: TableText) -> list[Reject]:
    """One reject per row with a wrong field count; never quoting the row."""
    return [
        Reject(
            table=spec.name, file=text.path.name, row=row, key=None, column=None, value=None,
            reason=f"{text.path.name} row {row}: has {found} fields where the header has"
            f" {expected} (row refused)",
        )
        for row, expected, found in sorted(text.ragged)
    ]


def _formula_rejects(spec: TableSpec, text: TableText, mapping: dict[str, str]) -> list[Reject]:
    """One reject per spec column holding a formula saved without a value (read as empty)."""
    column_of = {header: column for column, header in mapping.items()}
    return [
        Reject(
            table=spec.name, file=text.path.name, row=row, key=None, column=column_of[header],
            value=None,
            reason=f"{text.path.name} row {row}, column {column_of[header]}: a formula saved"
            " without its value (open the file in Excel and save it again, or export as .csv)",
        )
        for row, headers in sorted(text.uncached.items())
        for header in headers
        if header in column_of
    ]


def _merge_formula_rejects(formula: list[Reject], checked: list[Reject]) -> list[Reject]:
    """The formula rejects in place of what the checks said of the same (empty-looking) cells,
    with the row's key and data from the checks."""
    found = {(r.row, r.column): r for r in checked}
    merged = [
        dataclasses.replace(r, key=found[(r.row, r.column)].key,
                            row_data=found[(r.row, r.column)].row_data)
        if (r.row, r.column) in found else r
        for r in formula
    ]
    at = {(r.row, r.column) for r in formula}
    return merged + [r for r in checked if (r.row, r.column) not in at]


def validate(
    spec: TableSpec,
    text: TableText,
    mapping: dict[str, str],
    practice_id: str | None,
    sink: Callable[[pl.DataFrame], None] | None = None,
) -> tuple[pl.DataFrame, pl.Series, list[Reject], int]:
    """Validate one table read as text, batch by batch.

    Returns (typed valid rows, their row numbers, rejects, rows read). Memory
    holds one batch of text plus the typed result; duplicate keys are found
    first in a pass over the key column alone. With a ``sink``, each batch's
    typed valid rows (with ``__row``) go to it instead and the returned frame
    and row numbers are empty: memory holds one batch.
    """
    file_name = text.path.name
    duplicates, shift = _duplicates(spec, text, mapping)
    ragged = _ragged_rejects(spec, text)
    preps: list[pl.Expr] = []
    values: list[pl.Expr] = []
    checks: dict[str, pl.Expr] = {}
    for column in spec.columns:
        prep, value, problem = column_stages(column)
        preps += prep
        values.append(value)
        checks[column.name] = problem
    for column, problem in _row_checks(spec):
        checks[column] = pl.coalesce(checks[column], problem)
    checks["practice_id"] = pl.when(pl.col("practice_id").is_null()).then(
        pl.lit("practice")
    ).otherwise(checks["practice_id"])
    duplicate_keys = duplicates.get_column(spec.key)
    checks[spec.key] = pl.when(pl.col(spec.key).is_in(duplicate_keys.implode())).then(
        pl.lit("duplicate")
    ).otherwise(checks[spec.key])
    bad_row = pl.any_horizontal(pl.col(_problem_name(name)).is_not_null() for name in checks)
    formula_rejects = _formula_rejects(spec, text, mapping)
    if formula_rejects:
        formula_rows = pl.Series([r.row for r in formula_rejects], dtype=pl.Int64)
        bad_row = bad_row | pl.col(ROW).is_in(formula_rows.implode())
    duplicate_rows = dict(duplicates.iter_rows())
    typed_parts: list[pl.DataFrame] = []
    row_parts: list[pl.Series] = []
    rejects: list[Reject] = []
    read = 0
    for batch in text.batches():
        frame = _standardise(spec, batch, mapping, read + 2, shift).lazy().with_columns(
            _clean(name) for name in spec.column_names
        )
        if practice_id is not None:
            frame = frame.with_columns(pl.col("practice_id").fill_null(pl.lit(practice_id)))
        checked = (
            (frame.with_columns(preps) if preps else frame)
            .with_columns(values)
            .with_columns(check.alias(_problem_name(name)) for name, check in checks.items())
            .with_columns(bad_row.alias("__refused"))
            .collect()
        )
        read += checked.height
        refused = checked.get_column("__refused")
        good = checked.filter(~refused)
        typed_good = good.select(
            pl.col(_stage_name(c.name, "value")).cast(LOAD_DTYPES[c.kind]).alias(c.name)
            for c in spec.columns
        )
        if sink is not None:
            sink(typed_good.with_columns(good.get_column(ROW)))
        else:
            typed_parts.append(typed_good)
            row_parts.append(good.get_column(ROW))
        if refused.any():
            bad = checked.filter(refused).select(
                ROW, *spec.column_names, *(_problem_name(name) for name in checks)
            )
            rejects += _rejects(spec, bad, file_name, list(checks), duplicate_rows)
    empty = pl.DataFrame(schema={c.name: LOAD_DTYPES[c.kind] for c in spec.columns})
    typed = pl.concat([empty.clear(), *typed_parts], how="vertical_relaxed").with_columns(
        pl.col(c.name).cast(LOAD_DTYPES[c.kind]) for c in spec.columns
    )
    rows = pl.concat([pl.Series(ROW, [], dtype=pl.Int64), *row_parts])
    if formula_rejects:
        rejects = _merge_formula_rejects(formula_rejects, rejects)
    rejects = sorted(ragged + rejects, key=lambda r: (r.row or 0))
    return typed, rows, rejects, read + len(ragged)


def _rejects(
    spec: TableSpec,
    bad: pl.DataFrame,
    file_name: str,
    checked: list[str],
    duplicate_rows: dict[str, list[int]],
) -> list[Reject]:
    rejects: list[Reject] = []
    for row in bad.iter_rows(named=True):
        row_data = {name: row[name] for name in spec.column_names}
        key = row[spec.key]
        for column in checked:
            code = row[_problem_name(column)]
            if code is None:
                continue
            value = row[column] if column in row_data else None
            if code == "duplicate":
                others = ", ".join(str(r) for r in duplicate_rows[key])
                problem = (f"{spec.key} {quoted(key)} appears on rows {others}:"
                           " every such row is refused")
            else:
                allowed = ", ".join(spec.column(column).values)
                problem = MESSAGES[code].format(value=quoted(value), column=column,
                                                allowed=allowed)
            rejects.append(Reject(
                table=spec.name,
                file=file_name,
                row=row[ROW],
                key=key,
                column=column,
                value=clipped(value),
                reason=f"{file_name} row {row[ROW]}, column {column}: {problem}",
                row_data=row_data,
            ))
    return rejects


@contextlib.contextmanager
def open_table_text(path: Path) -> Iterator[TableText]:
    """Open one table file as text, transcoding Windows-1252 text to a temporary UTF-8 copy."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        with _utf8_text(path) as (utf8_path, _encoding):
            yield _csv_text(utf8_path)
    elif suffix == ".xlsx":
        yield _excel_text(path)
    else:
        yield _parquet_text(path)


def column_map(
    spec: TableSpec, names: list[str], path: Path, practice_id: str | None, notes: list[str]
) -> dict[str, str]:
    """Map spec column -> header name; refuse missing required columns; report extra ones."""
    if not names:
        raise ExportRefused([Reject(
            spec.name, path.name, None, None, None, None,
            f"{path.name} is empty: it needs at least a header row"
            f" ({', '.join(c.name for c in spec.columns if c.required)})",
        )])
    present: dict[str, str] = {}
    refused: list[Reject] = []
    for original in names:
        name = normalise_name(original)
        if name in present:
            refused.append(Reject(
                spec.name, path.name, 1, None, name, original,
                f"{path.name} row 1: columns {present[name]!r} and {original!r} are the same"
                " column",
            ))
        present[name] = original
    wanted = set(spec.column_names)
    for column in spec.columns:
        if column.name in present:
            continue
        if column.name == "practice_id":
            if practice_id is None:
                refused.append(Reject(
                    spec.name, path.name, None, None, column.name, None,
                    f"{path.name} has no practice_id column: give the practice with --practice ID",
                ))
        elif column.required:
            refused.append(Reject(
                spec.name, path.name, 1, None, column.name, None,
                f"{path.name} row 1: required column {column.name} is missing",
            ))
    if refused:
        raise ExportRefused(refused)
    extra = [original for name, original in present.items() if name not in wanted]
    if extra:
        notes.append(f"{path.name}: extra columns ignored: {', '.join(extra)}")
    return {c.name: present[c.name] for c in spec.columns if c.name in present}


def _row_shift(skipped: list[int]) -> pl.Series:
    """For skipped rows s_0 < s_1 < ...: s_j - j, so a kept row's number can step over them."""
    return pl.Series([row - index for index, row in enumerate(sorted(skipped))], dtype=pl.Int64)


def _with_rows(frame: pl.DataFrame, first_row: int, shift: pl.Series) -> pl.DataFrame:
    """Add spreadsheet row numbers to kept rows, counting the skipped rows before each."""
    numbered = frame.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))
    if shift.is_empty():
        return numbered
    provisional = numbered.get_column(ROW)
    return numbered.with_columns(
        (provisional + shift.search_sorted(provisional, side="right").cast(pl.Int64)).alias(ROW)
    )


def _standardise(
    spec: TableSpec, batch: pl.DataFrame, mapping: dict[str, str], first_row: int,
    shift: pl.Series,
) -> pl.DataFrame:
    """A text batch with exactly the spec's columns (absent ones null) and its row numbers."""
    return _with_rows(batch.select(
        pl.col(mapping[c.name]).alias(c.name) if c.name in mapping
        else pl.lit(None, dtype=pl.String).alias(c.name)
        for c in spec.columns
    ), first_row, shift)


def read_export(
    paths: list[Path], *, practice_id: str | None = None, progress=None,
    stage: Stage | None = None,
) -> ReadResult:
    """Read a standard export (folders and/or table files) into a ReadResult.

    Raises ExportRefused when a required table or column is missing or a file
    cannot be read at all; row problems become rejects and never stop the rest.
    With a ``stage``, typed rows are appended there batch by batch (bounded
    memory) and the result carries the stage instead of frames.
    """
    files = table_files(paths)
    missing = [name for name, spec in TABLES.items() if spec.required and name not in files]
    if missing:
        raise ExportRefused([
            Reject(name, f"{name}.csv", None, None, None, None,
                   f"required table {name} is missing (expected a file such as {name}.csv)")
            for name in missing
        ])
    result = ReadResult(fmt=FORMAT)
    for index, (name, spec) in enumerate(
        (name, spec) for name, spec in TABLES.items() if name in files
    ):
        path = files[name]
        if progress is not None:
            progress(f"reading {path.name}", index, len(files))
        result.files.append(FileInfo(name, path.name, sha256_file(path), path.stat().st_size))
        try:
            with open_table_text(path) as text:
                mapping = column_map(spec, text.names, path, practice_id, result.notes)
                sink = None if stage is None else functools.partial(stage.append, name)
                typed, rows, rejects, read = validate(spec, text, mapping, practice_id, sink)
                if stage is not None and name not in stage.present:
                    stage.append(name, typed.with_columns(rows))
        except ExportRefused:
            raise
        except (pl.exceptions.PolarsError, pa.ArrowException, OSError, ValueError) as error:
            raise ExportRefused([Reject(
                name, path.name, None, None, None, None,
                f"{path.name} cannot be read: {str(error).splitlines()[0]}",
            )]) from None
        if stage is None:
            result.frames[name] = typed
            result.row_numbers[name] = rows
        result.rejects += rejects
        result.read_counts[name] = read
    result.stage = stage
    return result
