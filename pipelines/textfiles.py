"""Reading export files as text, shared by the standard reader and the Open Dental adapter.

Exports arrive as UTF-8 (with or without BOM), UTF-16 (with or without BOM) or
Windows-1252; readers scan UTF-8 only, so any other file is streamed into a UTF-8 copy in
a private temporary folder (``caseboard.tempfiles``: it holds patient data).
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from caseboard import tempfiles

BLOCK = 1024**2


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(BLOCK):
            digest.update(chunk)
    return digest.hexdigest()


def is_utf8(path: Path) -> bool:
    """True when the whole file decodes as UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(BLOCK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def utf16_encoding(path: Path) -> str | None:
    """'utf-16' for a file with a UTF-16 byte-order mark, 'utf-16-le'/'-be' for one whose first
    bytes are text with every other byte zero (no mark); else None."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_zero = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    odd_zero = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    if odd_zero > 0.9 * pairs and even_zero == 0:
        return "utf-16-le"
    if even_zero > 0.9 * pairs and odd_zero == 0:
        return "utf-16-be"
    return None


def transcode(path: Path, target: Path, encoding: str = "cp1252", *,
              errors: str = "strict") -> None:
    """Stream a Windows-1252 (or UTF-16) file into a UTF-8 copy (``errors`` as for ``open``)."""
    with (
        open(path, encoding=encoding, errors=errors, newline="") as source,
        open(target, "w", encoding="utf-8", newline="") as sink,
    ):
        while chunk := source.read(BLOCK):
            sink.write(chunk)


def header_line(path: Path) -> str:
    """The first line of a UTF-8 text file, without BOM or line ending."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.readline().rstrip("\r\n")


@contextlib.contextmanager
def utf8_text(path: Path, *, errors: str = "strict") -> Iterator[tuple[Path, str]]:
    """Yield a UTF-8 version of a text file (itself, or a private temporary copy) and its encoding.

    With ``errors="strict"`` a file that is neither UTF-8, UTF-16 nor Windows-1252 raises
    UnicodeError; ``"replace"`` puts U+FFFD for the undefined bytes.
    """
    utf16 = utf16_encoding(path)
    if utf16 is None and is_utf8(path):
        yield path, "utf-8"
        return
    with tempfiles.private_folder("transcode") as folder:
        target = folder / path.name
        transcode(path, target, utf16 or "cp1252", errors=errors)
        yield target, utf16 or "windows-1252"
