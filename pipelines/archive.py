"""Safe extraction of an uploaded or given .zip export.

Every entry is checked before anything is written: no ``..`` parts, no
absolute paths or drive letters, no symlinks, not too many entries, not too
much uncompressed data, no entry (or archive) compressed suspiciously well (a
zip bomb). Entries are then streamed into a private temporary folder, counting
bytes as they are written so a header that lies about its size is caught too.
"""

from __future__ import annotations

import contextlib
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from caseboard import tempfiles


class UnsafeArchive(Exception):  # noqa: N818 - reads as a verdict
    """The archive is refused; nothing of it was extracted."""


@dataclass(frozen=True)
class ArchiveLimits:
    """How much a zip may hold before it is refused."""

    max_files: int = 1000
    max_total_bytes: int = 8 * 1024**3
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1024**2


DEFAULT_LIMITS = ArchiveLimits()


def _entry_path(name: str) -> PurePosixPath:
    """The entry's relative path, or UnsafeArchive if it could land outside the folder."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        raise UnsafeArchive(f"zip entry {name!r} has an absolute path; refused")
    path = PurePosixPath(normalised)
    if any(part == ".." for part in path.parts):
        raise UnsafeArchive(f"zip entry {name!r} climbs out of the folder ('..'); refused")
    return path


def check_archive(archive: zipfile.ZipFile, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Raise UnsafeArchive if any entry or the archive as a whole is unsafe to extract."""
    entries = archive.infolist()
    if len(entries) > limits.max_files:
        raise UnsafeArchive(
            f"zip holds {len(entries)} entries, more than the limit of {limits.max_files}; refused"
        )
    total = 0
    compressed = 0
    seen: set[str] = set()
    for info in entries:
        name = str(_entry_path(info.filename)).lower()
        if name in seen:
            raise UnsafeArchive(f"zip holds {info.filename!r} twice; refused")
        seen.add(name)
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise UnsafeArchive(f"zip entry {info.filename!r} is a symbolic link; refused")
        total += info.file_size
        compressed += info.compress_size
        if (
            info.file_size > limits.ratio_floor_bytes
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise UnsafeArchive(
                f"zip entry {info.filename!r} expands"
                f" {info.file_size / max(info.compress_size, 1):.0f} times"
                f" (limit {limits.max_ratio:.0f}): looks like a zip bomb; refused"
            )
    if total > limits.max_total_bytes:
        raise UnsafeArchive(
            f"zip expands to {total} bytes, more than the limit of"
            f" {limits.max_total_bytes}; refused"
        )
    if total > limits.ratio_floor_bytes and total > limits.max_ratio * max(compressed, 1):
        raise UnsafeArchive("zip expands suspiciously well overall: looks like a zip bomb; refused")


def extract_to(zip_path: Path, target: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Check ``zip_path`` whole, then extract its regular files under ``target`` only."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as error:
        raise UnsafeArchive(f"{zip_path.name} is not a readable zip file ({error})") from None
    with archive:
        check_archive(archive, limits)
        root = target.resolve()
        for info in archive.infolist():
            relative = _entry_path(info.filename)
            if info.is_dir() or not relative.parts:
                continue
            destination = (root / Path(*relative.parts)).resolve()
            if root not in destination.parents:
                raise UnsafeArchive(
                    f"zip entry {info.filename!r} lands outside the folder; refused"
                )
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                _copy_entry(archive, info, destination)
            except (zipfile.BadZipFile, EOFError) as error:
                raise UnsafeArchive(f"zip entry {info.filename!r} is damaged ({error})") from None


def _copy_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path) -> None:
    written = 0
    with archive.open(info) as source, open(destination, "xb") as sink:
        while chunk := source.read(1024**2):
            written += len(chunk)
            if written > info.file_size:
                raise UnsafeArchive(
                    f"zip entry {info.filename!r} is larger than its header says; refused"
                )
            sink.write(chunk)


@contextlib.contextmanager
def extracted(zip_path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> Iterator[Path]:
    """Extract ``zip_path`` into a private temporary folder, yield it, and remove it after."""
    with tempfiles.private_folder("zip") as folder:
        extract_to(zip_path, folder, limits)
        yield folder
