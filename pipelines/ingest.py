"""The one entry point of a load: paths in, one batch (or a refusal) out.

The CLI (`caseboard ingest`) and the dashboard's upload both call
`ingest_paths`. It unpacks zips safely (pipelines/archive.py), tells an Open
Dental export from a standard one by its file names, reads it with the right
reader and hands the ReadResult to the loader.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Callable
from pathlib import Path

from pipelines.archive import UnsafeArchive, extracted
from pipelines.load import LoadSummary, load_export
from pipelines.model import ExportRefused, ReadResult, Reject
from pipelines.stage import staging
from pipelines.standard import normalise_name, read_export

FORMATS = ("standard", "opendental")
OPENDENTAL_MARKERS = {"procedurelog", "patient"}
Progress = Callable[[str, int, int], None]


def _refused(message: str) -> ExportRefused:
    return ExportRefused([Reject("", "", None, None, None, None, message)])


def looks_opendental(folders: list[Path]) -> bool:
    """True when the files carry Open Dental table names (procedurelog, patient, ...)."""
    for folder in folders:
        files = [folder] if folder.is_file() else [p for p in folder.rglob("*") if p.is_file()]
        if any(normalise_name(p.stem) in OPENDENTAL_MARKERS for p in files):
            return True
    return False


def _read(
    paths: list[Path], fmt: str | None, practice_id: str | None, progress: Progress | None,
    stack: contextlib.ExitStack,
) -> ReadResult:
    kind = fmt or ("opendental" if looks_opendental(paths) else "standard")
    if kind == "standard":
        stage = stack.enter_context(staging())
        return read_export(paths, practice_id=practice_id, progress=progress, stage=stage)
    from pipelines import opendental

    if len(paths) != 1 or not paths[0].is_dir():
        raise _refused("an Open Dental export is one folder or one .zip of its table files")
    try:
        return opendental.read_folder(paths[0], practice_id=practice_id)
    except opendental.OpenDentalError as error:
        raise _refused(str(error)) from None


def _read_mysql(url: str | None, practice_id: str | None, config_file: str | None) -> ReadResult:
    from pipelines import opendental

    try:
        return opendental.read_mysql(url, practice_id=practice_id, config_file=config_file)
    except opendental.OpenDentalError as error:
        raise _refused(str(error)) from None


def ingest_paths(
    paths: list[str | Path],
    *,
    db: str | Path | None,
    practice_id: str | None = None,
    source_id: str | None = None,
    full: bool = False,
    fmt: str | None = None,
    progress: Progress | None = None,
    mysql_config: str | Path | None = None,
) -> LoadSummary:
    """Read and load an export; raise ExportRefused (nothing changed) when it is refused whole.

    ``mysql_config`` names a MySQL option file for a live Open Dental database
    (with a ``mysql://`` URL in ``paths`` or none).
    """
    if fmt is not None and fmt not in FORMATS:
        raise _refused(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    source = source_id or practice_id or "main"
    texts = [str(p) for p in paths]
    if not texts and mysql_config is None:
        raise _refused("no export given")
    if mysql_config is not None or any(t.startswith("mysql://") for t in texts):
        if len(texts) > 1 or (texts and not texts[0].startswith("mysql://")):
            raise _refused("a mysql:// source is loaded on its own")
        config = None if mysql_config is None else str(mysql_config)
        result = _read_mysql(texts[0] if texts else None, practice_id, config)
        return load_export(
            result, db=db, source_id=source, practice_id=practice_id, full=full, progress=progress
        )
    with contextlib.ExitStack() as stack:
        local: list[Path] = []
        for text in texts:
            path = Path(text)
            if not path.exists():
                raise _refused(f"{path} does not exist")
            if path.is_file() and path.suffix.lower() == ".zip":
                if not zipfile.is_zipfile(path):
                    raise _refused(f"{path.name} is not a readable zip file")
                try:
                    local.append(stack.enter_context(extracted(path)))
                except UnsafeArchive as error:
                    raise _refused(str(error)) from None
            else:
                local.append(path)
        result = _read(local, fmt, practice_id, progress, stack)
        return load_export(
            result, db=db, source_id=source, practice_id=practice_id, full=full, progress=progress
        )
