"""People's entries (the follow-up log, and later goals and typed settings): a small file
of their own beside the database, on a write path no load ever takes.

* The entries live in ``<db>.entries.duckdb``; its tables are ``sql/entries/*.sql``.
* A writer takes ``<db>.entries.duckdb.lock`` (never the load's ``<db>.lock``), copies
  the small file to a private working file, changes it in one transaction,
  checkpoints and renames it over the published entries file (milliseconds). So a
  long load neither delays an entry nor overwrites it when it publishes: the load
  copies, changes and replaces only ``<db>``.
* Readers attach the entries file read-only as the catalog ``entries`` next to the
  database (``attach_entries``); views that need entries say ``entries.<table>``.
  Without an entries file yet, an empty in-memory ``entries`` catalog stands in, so
  those views always bind (a load builds its views against that stand-in).
* A killed entry writer leaves the published entries file untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from caseboard.storage import (  # noqa: F401 - entries_path and attach_entries: this API
    CATALOG,
    DiscardChanges,
    StorageError,
    _disk_failure,
    _fsync_dir,
    attach_entries,
    ensure_entries_schema,
    entries_path,
    write_lock,
)

# An entry waits at most this long for another entry writer (entry writes take milliseconds).
LOCK_TIMEOUT_S = 5.0


def _remove_stale_working_files(path: Path) -> None:
    for stale in path.parent.glob(path.name + ".writing-*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def write_entries(db: str | os.PathLike[str] | None = None,
                  timeout_s: float = LOCK_TIMEOUT_S) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy of the entries; publish it atomically.

    The block's changes become visible all at once when it exits without an exception;
    on an exception (``DiscardChanges`` included) or a kill the published entries file is
    exactly as it was. Never takes the load's lock, so it does not wait for a load.
    """
    path = entries_path(db)
    with write_lock(path, timeout_s):
        _remove_stale_working_files(path)
        working = path.with_name(f"{path.name}.writing-{os.getpid()}")
        try:
            if path.exists():
                shutil.copyfile(path, working)
            con = duckdb.connect(str(working))
            try:
                ensure_entries_schema(con)
                con.begin()
                yield con
                con.commit()
                con.execute("checkpoint")
            except DiscardChanges:
                return
            finally:
                con.close()
            with open(working, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(working, path)
            _fsync_dir(path.parent)
        except (OSError, duckdb.IOException, duckdb.TransactionException) as error:
            failure = _disk_failure(error)
            if failure is None:
                raise
            raise StorageError(
                f"could not write {path}: {failure}; the entries were left as they were"
            ) from None
        finally:
            working.unlink(missing_ok=True)
            working.with_name(working.name + ".wal").unlink(missing_ok=True)


@contextlib.contextmanager
def read_entries(db: str | os.PathLike[str] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private in-memory connection whose current catalog is the entries (read-only)."""
    con = duckdb.connect(":memory:")
    try:
        attach_entries(con, db)
        con.execute(f"use {CATALOG}")
        yield con
    finally:
        con.close()
