"""The one entry point of a load: paths in, one batch (or a refusal) out.

The CLI (`caseboard ingest`) and the dashboard's upload both call
`ingest_paths`. It unpacks zips safely (pipelines/archive.py), tells an Open
Dental export from a standard one by its file names, reads it with the right
reader and hands the ReadResult to the loader.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import caseboard
from pipelines.archive import UnsafeArchive, extracted
from pipelines.load import LoadSummary, load_export, record_unchanged, sql_sections
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


def _fingerprint(checksums: dict[str, str], practice_id: str | None) -> str | None:
    """What must be equal for an export to be "unchanged": its tables' checksums, the
    practice given at load and caseboard's version (a new mapping reads again)."""
    if not checksums or any(value in ("", "None") for value in checksums.values()):
        return None
    payload = json.dumps(
        {"checksums": checksums, "practice": practice_id, "version": caseboard.__version__},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _unchanged(db, source: str, batch_id: int, what: str) -> LoadSummary:
    """An Open Dental source found unchanged before reading: nothing is read, and the load
    history gets a row saying so (as for any unchanged load, pipelines.load)."""
    started = datetime.now(UTC).replace(tzinfo=None)
    summary = LoadSummary(
        batch_id=batch_id, source=source, practices=[], unchanged=True, tables={},
        fmt="opendental", full=True,
        notes=[f"{what} unchanged since this source's last load (same checksums): nothing "
               "was read"],
    )
    record_unchanged(db, summary, "opendental", started, [])
    return summary


def _source_facts(
    db, source_id: str | None, origin: str | None
) -> tuple[str | None, tuple | None]:
    """(the source already loaded from ``origin``, (origin, fingerprint, batch) of the source)."""
    from caseboard.storage import StorageError, read_connection, resolve_db

    if not resolve_db(db).exists():
        return None, None
    bookkeeping = sql_sections("bookkeeping")
    try:
        with read_connection(db) as con:
            has_origins = con.sql(bookkeeping["has_source_origins"]).fetchall()[0][0]
            known = [] if origin is None or not has_origins else con.sql(
                bookkeeping["source_of_origin"], params={"origin": origin}
            ).fetchall()
            if origin is not None and not known and source_id is None:
                # a live database loaded before origins were kept: the one such source
                legacy = con.sql(bookkeeping[
                    "legacy_live_sources" if has_origins else "legacy_live_sources_all"
                ]).fetchall()
                known = legacy if len(legacy) == 1 else []
            if not has_origins:
                return (known[0][0] if known else None), None
            source = source_id or (known[0][0] if known else None)
            if source is None:
                return None, None
            rows = con.sql(bookkeeping["source_origin"], params={"source_id": source}).fetchall()
    except StorageError:
        return None, None
    return source, (rows[0] if rows else None)


def _ingest_mysql(
    url: str | None, *, db, practice_id: str | None, source_id: str | None,
    config_file: str | None, full: bool, progress, timeout_s: float | None,
    replace_source: bool,
) -> LoadSummary:
    """A live Open Dental database: skip it when unchanged since the source's last load."""
    from pipelines import opendental

    try:
        origin, default_source, checksums = opendental.mysql_fingerprint(
            url, config_file=config_file, timeout_s=timeout_s
        )
        known, facts = _source_facts(db, source_id, origin)
        source = source_id or known or default_source
        fingerprint = _fingerprint(checksums, practice_id)
        if (
            fingerprint is not None and facts is not None and facts[0] == origin
            and facts[1] == fingerprint
        ):
            return _unchanged(db, source, facts[2], "the database is")
        result = opendental.read_mysql(
            url, practice_id=practice_id, config_file=config_file, timeout_s=timeout_s
        )
    except opendental.OpenDentalError as error:
        raise _refused(str(error)) from None
    result.checksums = checksums
    return load_export(
        result, db=db, source_id=source, practice_id=practice_id, full=full, progress=progress,
        replace_source=replace_source, fingerprint=fingerprint,
    )


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
    timeout_s: float | None = None,
    replace_source: bool = False,
) -> LoadSummary:
    """Read and load an export; raise ExportRefused (nothing changed) when it is refused whole.

    ``mysql_config`` names a MySQL option file for a live Open Dental database
    (with a ``mysql://`` URL in ``paths`` or none); such a database loads as the
    source ``database@host`` unless ``source_id`` is given, waits at most
    ``timeout_s`` for the server, and is not read again when unchanged.
    ``replace_source`` loads over a source that holds another practice's data.
    """
    if fmt is not None and fmt not in FORMATS:
        raise _refused(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    texts = [str(p) for p in paths]
    if not texts and mysql_config is None:
        raise _refused("no export given")
    if mysql_config is not None or any(t.startswith("mysql://") for t in texts):
        if len(texts) > 1 or (texts and not texts[0].startswith("mysql://")):
            raise _refused("a mysql:// source is loaded on its own")
        return _ingest_mysql(
            texts[0] if texts else None, db=db, practice_id=practice_id, source_id=source_id,
            config_file=None if mysql_config is None else str(mysql_config), full=full,
            progress=progress, timeout_s=timeout_s, replace_source=replace_source,
        )
    source = source_id or practice_id or "main"
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
        fingerprint = None
        if (fmt or ("opendental" if looks_opendental(local) else "standard")) == "opendental":
            fingerprint = _folder_fingerprint(local, practice_id)
            _, facts = _source_facts(db, source, None)
            if fingerprint is not None and facts is not None and facts[1] == fingerprint:
                return _unchanged(db, source, facts[2], "these table files are")
        result = _read(local, fmt, practice_id, progress, stack)
        return load_export(
            result, db=db, source_id=source, practice_id=practice_id, full=full, progress=progress,
            replace_source=replace_source, fingerprint=fingerprint,
        )


def _folder_fingerprint(paths: list[Path], practice_id: str | None) -> str | None:
    """The fingerprint of an Open Dental export folder: its files' checksums (not read)."""
    from pipelines import opendental

    if len(paths) != 1 or not paths[0].is_dir():
        return None
    files = opendental.export_files(paths[0])
    return _fingerprint({f"{f.table}:{f.name}": f.sha256 for f in files}, practice_id)
