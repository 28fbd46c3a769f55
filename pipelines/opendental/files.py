"""Reading a folder (or zip) of Open Dental table exports as text frames, then mapping them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

import polars as pl

from pipelines.model import FileInfo, ReadResult
from pipelines.opendental.catalogue import (
    FILE_SUFFIXES,
    OD_TABLES,
    REQUIRED_TABLES,
    OpenDentalError,
)
from pipelines.opendental.mapping import map_tables
from pipelines.textfiles import header_line, sha256_file, utf8_text

# ---------------------------------------------------------------- detection


def _table_name(name: str) -> str | None:
    path = Path(name)
    if path.suffix.lower() not in FILE_SUFFIXES:
        return None
    stem = path.stem.lower()
    return stem if stem in OD_TABLES else None


def looks_like_opendental(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder or zip of Open Dental table exports (procedurelog, ...)."""
    path = Path(path)
    if path.is_dir():
        names = [child.name for child in path.rglob("*") if child.is_file()]
    elif path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [Path(info.filename).name for info in archive.infolist() if not info.is_dir()]
    else:
        return False
    tables = {_table_name(name) for name in names}
    return "procedurelog" in tables or "patient" in tables


# ---------------------------------------------------------------- folder route


def _header(path: Path) -> tuple[list[str], bool]:
    """The header names of an export and whether it is tab-separated (mysql --batch)."""
    first = header_line(path)
    if "\t" in first:
        return first.split("\t"), True
    return next(csv.reader(io.StringIO(first)), []), False


_SENTINEL = "\ue000"


def _unescape_batch(expr: pl.Expr) -> pl.Expr:
    """Undo mysql --batch escapes (\\\\, \\t, \\n, \\0) in one text column."""
    return (
        expr.str.replace_all("\\\\", _SENTINEL, literal=True)
        .str.replace_all("\\t", "\t", literal=True)
        .str.replace_all("\\n", "\n", literal=True)
        .str.replace_all("\\0", "\x00", literal=True)
        .str.replace_all(_SENTINEL, "\\", literal=True)
    )


def _read_export(path: Path, table: str) -> pl.DataFrame:
    """Read the needed columns of one table export as text (UTF-8, else Windows-1252)."""
    with utf8_text(path, errors="replace") as (utf8_path, _encoding):
        return _read_utf8_export(utf8_path, table)


def _read_utf8_export(path: Path, table: str) -> pl.DataFrame:
    """Read the needed columns of one UTF-8 table export as text, with a 1-based row number."""
    spec = OD_TABLES[table]
    names, is_tab = _header(path)
    by_lower = {name.strip().lower(): name for name in names}
    missing = [column for column in spec.required if column.lower() not in by_lower]
    if missing:
        raise OpenDentalError(
            f"{path.name}: missing column(s) {', '.join(missing)} (Open Dental table {table})"
        )
    frame = pl.scan_csv(
        path,
        separator="\t" if is_tab else ",",
        quote_char=None if is_tab else '"',
        infer_schema=False,
        null_values=["NULL"] if is_tab else None,
        encoding="utf8",
    )
    selected = []
    for column in spec.columns:
        source = by_lower.get(column.lower())
        expr = pl.col(source) if source is not None else pl.lit(None, dtype=pl.Utf8)
        if is_tab and source is not None:
            expr = _unescape_batch(expr)
        selected.append(expr.alias(column))
    # _row: the row as a spreadsheet shows the file (header = 1)
    return frame.select(selected).with_row_index("_row", offset=2).collect()


def _found_tables(folder: Path) -> dict[str, Path]:
    """Open Dental table -> its export file in ``folder`` (the shallowest one)."""
    found: dict[str, Path] = {}
    for child in sorted(folder.rglob("*"), key=lambda p: (len(p.parts), str(p))):
        table = _table_name(child.name) if child.is_file() else None
        if table is not None and table not in found:
            found[table] = child
    return found


def export_files(folder: str | os.PathLike[str]) -> list[FileInfo]:
    """The table files of an export folder with their checksums, without reading them."""
    found = _found_tables(Path(folder))
    return [
        FileInfo(table, path.name, sha256_file(path), path.stat().st_size)
        for table, path in sorted(found.items())
    ]


def _read_dir(folder: Path) -> tuple[dict[str, pl.DataFrame], list[FileInfo]]:
    found = _found_tables(folder)
    missing = [table for table in REQUIRED_TABLES if table not in found]
    if missing:
        raise OpenDentalError(
            f"{folder}: no export of Open Dental table(s) {', '.join(missing)} "
            f"(expected e.g. {missing[0]}.csv)"
        )
    tables: dict[str, pl.DataFrame] = {}
    files: list[FileInfo] = []
    for table in OD_TABLES:
        path = found.get(table)
        if path is None:
            continue
        tables[table] = _read_export(path, table)
        files.append(FileInfo(table, path.name, sha256_file(path), path.stat().st_size))
    return tables, files


def read_folder(
    path: str | os.PathLike[str],
    *,
    practice_id: str | None = None,
    today: dt.date | None = None,
) -> ReadResult:
    """Read a folder (or zip) of Open Dental table exports into the standard tables."""
    path = Path(path)
    if path.is_file() and zipfile.is_zipfile(path):
        with tempfile.TemporaryDirectory(prefix="caseboard-od-") as tmp:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    name = Path(info.filename).name
                    if not info.is_dir() and _table_name(name):
                        (Path(tmp) / name).write_bytes(archive.read(info))
            tables, files = _read_dir(Path(tmp))
    elif path.is_dir():
        tables, files = _read_dir(path)
    else:
        raise OpenDentalError(f"{path}: not a folder or zip of Open Dental exports")
    names = {info.table: info.name for info in files}
    result = map_tables(
        tables,
        practice_id=practice_id,
        today=today,
        files=files,
        file_names=names,
        spreadsheet_rows=True,
    )
    result.complete = True  # Open Dental exports whole tables: a row it lacks was deleted
    return result
