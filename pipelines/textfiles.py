"""Reading export files as text, shared by the standard reader and the Open Dental adapter.

Exports arrive as UTF-8 (with or without BOM) or Windows-1252; readers scan
UTF-8 only, so a Windows-1252 file is streamed into a temporary UTF-8 copy.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

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


def transcode_cp1252(path: Path, target: Path, *, errors: str = "strict") -> None:
    """Stream a Windows-1252 file into a UTF-8 copy (``errors`` as for ``open``)."""
    with (
        open(path, encoding="cp1252", errors=errors, newline="") as source,
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
    """Yield a UTF-8 version of a text file (itself, or a temporary copy) and its encoding.

    With ``errors="strict"`` a file that is neither UTF-8 nor Windows-1252
    raises UnicodeDecodeError; ``"replace"`` puts U+FFFD for the undefined bytes.
    """
    if is_utf8(path):
        yield path, "utf-8"
        return
    with tempfile.TemporaryDirectory(prefix="caseboard-transcode-") as folder:
        target = Path(folder) / path.name
        transcode_cp1252(path, target, errors=errors)
        yield target, "windows-1252"
