"""Bounds on what an .xlsx may expand to, checked before the workbook is read.

An .xlsx is a zip of XML. The reader (calamine, through Polars) holds the whole
first sheet in memory as a grid of cells, and copies a shared string into
every cell that refers to it; so a few megabytes of workbook can ask for
gigabytes (a spread-out grid, millions of rows, one long string referenced a
million times). ``check_workbook`` streams the sheet's XML once, counting and
never keeping its content, and refuses the file with a clear message naming it
when any bound is passed:

* the zip itself: entries, and the uncompressed size of the sheet and the
  shared strings (so the count itself is bounded in time);
* rows, and the grid the cells span (rows x columns, what the reader allocates);
* cells, shared strings, and the text the cells expand to (the length of
  each shared string times the cells that refer to it, plus inline text).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from pipelines.archive import ArchiveLimits, UnsafeArchive, check_archive


@dataclass(frozen=True)
class WorkbookLimits:
    """How much an .xlsx's first sheet may expand to (460,000 rows of 13 columns fit).

    Measured: a 300,000-row procedures sheet (3.9 million cells) peaks at 830 MB through
    the whole load, so 6 million cells stay under the 1.5 GB memory target; bigger
    exports load as .csv, which is streamed.
    """

    max_xml_bytes: int = 1024**3
    max_rows: int = 1_048_576
    max_cells: int = 6_000_000
    max_grid_cells: int = 6_000_000
    max_shared_strings: int = 6_000_000
    max_text_bytes: int = 512 * 1024**2


DEFAULT_LIMITS = WorkbookLimits()
CHUNK_BYTES = 8 * 1024**2
_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_ROOT = re.compile(rb"<(\w+:)?worksheet\b")
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"'
)
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b")
_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')
_INLINE_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*>([^<]*)<")
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"'
)
_SHARED_ITEM = re.compile(rb"<(?:\w+:)?si\b")
_FORMULA = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\b[^>/]*>([^<]*)</(?:\w+:)?v>)?"
)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')


@dataclass(frozen=True)
class WorkbookFacts:
    """What reading the first sheet needs to know beyond its cells."""

    first_row: int
    first_column: int
    """Where the sheet's cells start (the header row, its first column), 1-based."""
    uncached_formulas: tuple[tuple[int, int], ...]
    """(row, column) of formula cells saved without a value: the reader sees them empty."""


@dataclass(frozen=True)
class _SheetPatterns:
    """The scans of one sheet's XML, for its namespace prefix ('' or e.g. 'x:').

    Each starts with a literal ('<row', '<c', 't="s"'), which Python's regex engine
    searches for fast: a 150 MB sheet is scanned in about 10 s.
    """

    prefix: bytes

    def __post_init__(self) -> None:
        p = re.escape(self.prefix)
        tags = {
            "row": re.compile(b"<" + p + rb'row\b[^>]*?\br="(\d+)"'),
            "cell_ref": re.compile(b"<" + p + rb'c\b[^>]*?\br="([A-Z]{1,3})\d'),
            "shared": re.compile(rb't="s"[^>]*>\s*<' + p + rb"v>\s*(\d+)"),
            "inline": re.compile(b"<" + p + rb"t\b[^>]*>([^<]*)<"),
            "formula": re.compile(
                b"<" + p + rb"c\b([^>]*)>\s*<" + p + rb"f\b(?:[^>]*/>|[^>]*>[^<]*</" + p
                + rb"f>)\s*(?:<" + p + rb"v\b[^>/]*>([^<]*)</" + p + rb"v>)?"
            ),
        }
        for name, pattern in tags.items():
            object.__setattr__(self, name, pattern)

    def count(self, chunk: bytes, tag: bytes) -> int:
        """How many ``tag`` elements open in ``chunk``."""
        start = b"<" + self.prefix + tag
        return chunk.count(start + b" ") + chunk.count(start + b">")

    def has(self, chunk: bytes, tag: bytes) -> bool:
        """True when a ``tag`` element opens in ``chunk`` (a fast test before a slower scan)."""
        return b"<" + self.prefix + tag in chunk


class WorkbookTooLarge(Exception):  # noqa: N818 - reads as a verdict
    """The workbook is refused before it is read (the message names the file and the bound)."""


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class _Budget:
    """The XML bytes the sheet and the shared strings may still expand to."""

    def __init__(self, path: Path, limit: int):
        self.path = path
        self.limit = limit
        self.left = limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise WorkbookTooLarge(
                f"{self.path.name}: its sheet and shared strings expand to more than"
                f" {self.limit:,} bytes of XML; refused (save fewer rows per file, or export"
                " as .csv)"
            )


def _chunks(archive: zipfile.ZipFile, name: str, budget: _Budget):
    """Yield the XML of one entry in pieces that end after a row (or before a tag)."""
    tail = b""
    with archive.open(name) as source:
        while piece := source.read(CHUNK_BYTES):
            budget.spend(len(piece))
            data = tail + piece
            row_end = data.rfind(b"row>")
            cut = row_end + 4 if row_end >= 0 else data.rfind(b"<")
            cut = len(data) if cut <= 0 else cut
            tail = data[cut:]
            yield data[:cut]
    if tail:
        yield tail


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The zip entry of the workbook's first sheet (the one the reader loads)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find("m:sheets/m:sheet", _NS)
    if sheet is None:
        raise KeyError("no sheet")
    rel_id = sheet.get(f"{{{_NS['r']}}}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.findall("rel:Relationship", _NS):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    raise KeyError(rel_id)


def _shared_string_sizes(archive: zipfile.ZipFile, budget: _Budget, limits: WorkbookLimits
                         ) -> array:
    """The size in bytes of each shared string's XML (an upper bound on its text)."""
    if "xl/sharedStrings.xml" not in archive.namelist():
        return array("q")
    sizes = array("q")
    offset = 0
    previous = None
    for chunk in _chunks(archive, "xl/sharedStrings.xml", budget):
        starts = [offset + m.start() for m in _SHARED_ITEM.finditer(chunk)]
        for start in starts:
            if previous is not None:
                sizes.append(start - previous)
            previous = start
        _check_shared_count(len(sizes), budget, limits)
        offset += len(chunk)
    if previous is not None:
        sizes.append(offset - previous)
    _check_shared_count(len(sizes), budget, limits)
    return sizes


def _check_shared_count(count: int, budget: _Budget, limits: WorkbookLimits) -> None:
    if count > limits.max_shared_strings:
        raise WorkbookTooLarge(
            f"{budget.path.name} has more than {limits.max_shared_strings:,} shared strings;"
            " refused (save fewer rows per file, or export as .csv)"
        )


def check_workbook(path: Path, limits: WorkbookLimits = DEFAULT_LIMITS) -> WorkbookFacts:
    """Raise WorkbookTooLarge (or UnsafeArchive) unless ``path``'s first sheet fits ``limits``."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnsafeArchive(
            f"{path.name} is not an Excel workbook (.xlsx files are zip archives; {error}):"
            " if it is a CSV file, name it .csv"
        ) from None
    with archive:
        try:
            check_archive(archive, ArchiveLimits(
                max_files=10_000, max_ratio=1e12,
                max_total_bytes=2 * limits.max_xml_bytes + 64 * 1024**2,
            ))
        except UnsafeArchive as error:
            raise UnsafeArchive(f"{path.name}: {error}") from None
        try:
            sheet = _first_sheet(archive)
            archive.getinfo(sheet)
        except (KeyError, ElementTree.ParseError):
            raise UnsafeArchive(
                f"{path.name} is not a readable Excel workbook (no first sheet found)"
            ) from None
        budget = _Budget(path, limits.max_xml_bytes)
        shared = _shared_string_sizes(archive, budget, limits)
        return _check_sheet(archive, sheet, shared, budget, limits)


def _shared_text(shared: array, indexes: list[bytes]) -> int:
    """The bytes of the shared strings the cells refer to (an index past the table counts 0)."""
    try:
        return sum(map(shared.__getitem__, map(int, indexes)))
    except IndexError:
        return sum(shared[i] for i in map(int, indexes) if i < len(shared))


def _check_sheet(
    archive: zipfile.ZipFile, sheet: str, shared: array, budget: _Budget, limits: WorkbookLimits
) -> WorkbookFacts:
    path = budget.path
    first_row = 0
    first_column = 0
    uncached: list[tuple[int, int]] = []
    cells = 0
    max_row = 0
    max_column = 0
    text = 0
    rows = 0
    refused = " refused (save fewer rows or columns per file, or export as .csv)"
    patterns: _SheetPatterns | None = None
    for chunk in _chunks(archive, sheet, budget):
        if patterns is None:
            root = _ROOT.search(chunk)
            patterns = _SheetPatterns(root.group(1) or b"" if root else b"")
            for match in _DIMENSION.finditer(chunk):
                last_col = match.group(3) or match.group(1)
                max_column = max(max_column, _column_number(last_col))
                max_row = max(max_row, int(match.group(4) or match.group(2)))
        numbers = [int(n) for n in patterns.row.findall(chunk)]
        rows += patterns.count(chunk, b"row")
        if numbers:
            max_row = max(max_row, *numbers)
            first_row = min(first_row or numbers[0], *numbers)
        cells += patterns.count(chunk, b"c")
        for letters in set(patterns.cell_ref.findall(chunk)):
            number = _column_number(letters)
            max_column = max(max_column, number)
            first_column = min(first_column or number, number)
        if patterns.has(chunk, b"f"):
            for attributes, value in patterns.formula.findall(chunk):
                ref = _REF.search(attributes)
                if ref is not None and not value.strip() and len(uncached) < limits.max_cells:
                    uncached.append((int(ref.group(2)), _column_number(ref.group(1))))
        text += _shared_text(shared, patterns.shared.findall(chunk))
        if patterns.has(chunk, b"is>"):
            text += sum(len(t) for t in patterns.inline.findall(chunk))
        max_row = max(max_row, rows)
        if max_row > limits.max_rows:
            raise WorkbookTooLarge(
                f"{path.name} has rows past row {limits.max_rows:,};{refused}")
        if cells > limits.max_cells:
            raise WorkbookTooLarge(
                f"{path.name} has more than {limits.max_cells:,} cells;{refused}")
        if max_row * max_column > limits.max_grid_cells:
            raise WorkbookTooLarge(
                f"{path.name} spans {max_row:,} rows x {max_column:,} columns, more than"
                f" {limits.max_grid_cells:,} cells to read;{refused}")
        if text > limits.max_text_bytes:
            raise WorkbookTooLarge(
                f"{path.name}: its cells expand to more than {limits.max_text_bytes:,} bytes"
                f" of text (long shared strings repeated);{refused}")
    return WorkbookFacts(first_row or 1, first_column or 1, tuple(uncached))
