"""Where the database lives, and how it is read and written safely.

DuckDB lets one process hold a file read-write, and while it does every other
process, readers included, fails to open it. caseboard therefore never opens
the published database read-write in place:

* A writer (a load, a goal edit, a view rebuild) takes an exclusive lock on
  ``<db>.lock`` (so two writers are serialised), copies the published file to
  a private working file ``<db>.writing-<pid>``, makes all its changes there
  in one transaction, checkpoints, closes, and renames the working file over
  the published one with ``os.replace`` (atomic on POSIX).
* Readers open the published file read-only for a short while (a page render,
  a CLI command). They see the whole state before a write or the whole state
  after it, never half of one, and never block a writer: a reader that still
  holds the old file keeps reading the old inode until it closes.
* A writer killed at any moment leaves the published file untouched; its
  working file is removed by the next writer.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from caseboard.settings import SQL_DIR, load_settings

VIEW_LAYERS = ("staging", "intermediate", "marts")


class StorageError(Exception):
    """A database problem worth a plain message to the user."""


class DatabaseMissing(StorageError):
    """The database file does not exist yet (nothing has been loaded)."""


class WriterBusy(StorageError):
    """Another load or edit holds the write lock."""


class DiscardChanges(Exception):  # noqa: N818 - a signal, not an error
    """Raise inside ``write_connection`` to leave the published database untouched."""


def resolve_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path: the argument, else ``$CASEBOARD_DB``, else ./caseboard.duckdb."""
    return Path(db) if db is not None else load_settings().db_path


@contextlib.contextmanager
def read_connection(
    db: str | os.PathLike[str] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the published database read-only for the duration of the block."""
    path = resolve_db(db)
    if not path.exists():
        raise DatabaseMissing(
            f"no database at {path}: load an export first (caseboard ingest PATH --db {path})"
        )
    # A private in-memory instance with the file attached: duckdb.connect(path) would share
    # one instance between a process's connections (threads attaching the entries at once
    # would race, and the instance may still hold a replaced file).
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach $path as published (read_only)", {"path": str(path)})
        con.execute("use published")
        _attach_entries(con, path)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def write_lock(db: Path, timeout_s: float | None = None) -> Iterator[None]:
    """Hold the exclusive writer lock of ``db``; raise WriterBusy after ``timeout_s``."""
    timeout = load_settings().lock_timeout_s if timeout_s is None else timeout_s
    lock_path = db.with_name(db.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterBusy(
                        f"another load or edit is writing {db}; try again when it finishes"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale_working_files(db: Path) -> None:
    for stale in db.parent.glob(db.name + ".writing-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


@contextlib.contextmanager
def write_connection(
    db: str | os.PathLike[str] | None = None,
    timeout_s: float | None = None,
    goals_only: bool = False,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy; publish it atomically on success.

    The block's changes become visible to readers all at once when it exits
    without an exception; on an exception (or a kill) the published database
    is exactly as it was. The schema and the SQL views are (re)built and the pages'
    default results precomputed before publishing, so a published file always
    carries current views and a store that matches its data. ``goals_only`` promises
    that the block changes nothing but the goals table: the materialized tables are
    kept and only the goal views' precomputed results are recomputed.
    """
    path = resolve_db(db)
    with write_lock(path, timeout_s):
        _remove_stale_working_files(path)
        working = path.with_name(f"{path.name}.writing-{os.getpid()}")
        try:
            if path.exists():
                shutil.copyfile(path, working)
            con = duckdb.connect(str(working))
            try:
                _attach_entries(con, path, stand_in=True)
                ensure_schema(con)
                yield con
                build_views(con, rematerialize=not goals_only)
                precompute_pages(con, goals_only)
                con.execute("checkpoint")
            except DiscardChanges:
                return
            finally:
                con.close()
            with open(working, "rb") as handle:
                os.fsync(handle.fileno())
            stale_wal = path.with_name(path.name + ".wal")
            stale_wal.unlink(missing_ok=True)
            os.replace(working, path)
            _fsync_dir(path.parent)
        except (OSError, duckdb.IOException, duckdb.TransactionException) as error:
            failure = _disk_failure(error)
            if failure is None:
                raise
            raise StorageError(
                f"could not write {path}: {failure}; the database was left as it was"
            ) from None
        finally:
            working.unlink(missing_ok=True)
            working.with_name(working.name + ".wal").unlink(missing_ok=True)


def _attach_entries(con: duckdb.DuckDBPyConnection, path: Path, stand_in: bool = False) -> None:
    """People's entries next to the data (caseboard.entries); a writer of loaded data only
    ever sees an empty stand-in, so it can neither read nor change an entry."""
    from caseboard.entries import attach_entries  # caseboard.entries imports this module

    attach_entries(con, path, stand_in=stand_in)


def precompute_pages(con: duckdb.DuckDBPyConnection, goals_only: bool = False) -> None:
    """Save what the pages read with their defaults in the results store (caseboard.precompute)."""
    from caseboard import precompute  # imports the metrics API, which imports this module

    if goals_only:
        precompute.refresh(con, precompute.GOAL_VIEWS)
    else:
        precompute.rebuild(con)


def _disk_failure(error: BaseException) -> str | None:
    """Name a disk-level write failure (full disk, no permission), or None for anything else."""
    text = str(error)
    if isinstance(error, OSError) and error.errno == errno.ENOSPC or "No space left" in text:
        return "No space left on device (free some disk space and load again)"
    if isinstance(error, PermissionError) or "Permission denied" in text:
        return "Permission denied (check who owns the database folder)"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return None


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sql_files(folder: str) -> list[Path]:
    """The ``.sql`` files of one folder under ``sql/``, in name order."""
    return sorted((SQL_DIR / folder).glob("*.sql"))


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw, bookkeeping and goal tables that do not exist yet (sql/schema/*.sql)."""
    for path in sql_files("schema"):
        con.execute(path.read_text())


def _materializes(path: Path) -> bool:
    return f"create or replace table {path.stem} as" in path.read_text().lower()


def _table_type(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    found = con.sql(
        "select table_type from information_schema.tables where table_name = ?", params=[name]
    ).fetchall()
    return found[0][0] if found else None


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return _table_type(con, name) == "BASE TABLE"


def _drop_materialized(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Drop a materialized table (or the view it once was) so it is rebuilt after its inputs."""
    found = _table_type(con, path.stem)
    if found:
        con.execute(f"drop {'view' if found == 'VIEW' else 'table'} {path.stem}")


def build_views(con: duckdb.DuckDBPyConnection, rematerialize: bool = True) -> None:
    """(Re)create every view of sql/staging, sql/intermediate and sql/marts, in layer order.

    A file that says ``create or replace table`` instead is materialized: its
    result is recomputed from the raw tables on every write, for speed; only
    parameter-free queries may be materialized (tests/sql/test_materialized.py
    proves each such table equals its query run live). Within a layer a view
    may depend on another of the same layer; views are retried until every one
    binds, and the last binder error is raised if a pass makes no progress.
    ``rematerialize=False`` keeps the materialized tables that exist (for a write that
    changed none of the raw tables they are computed from).
    """
    for layer in VIEW_LAYERS:
        pending = sql_files(layer)
        if not rematerialize:
            pending = [p for p in pending if not (_materializes(p) and _exists(con, p.stem))]
        for path in filter(_materializes, pending):
            _drop_materialized(con, path)
        while pending:
            failed: list[Path] = []
            last_error: Exception | None = None
            for path in pending:
                try:
                    con.execute(path.read_text())
                except duckdb.CatalogException as error:
                    failed.append(path)
                    last_error = error
                except duckdb.BinderException as error:
                    failed.append(path)
                    last_error = error
            if len(failed) == len(pending):
                raise StorageError(f"cannot build view {failed[0].name}: {last_error}")
            pending = failed
