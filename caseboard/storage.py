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
* Patient data is never left readable by others: the working file (and DuckDB's
  write-ahead log beside it) is created under umask 077, and the published file
  keeps the mode of the file it replaces (0600 for a new database).
* ``--db`` may be a symbolic link: the path is resolved once, so the lock, the
  working copy and the publish all act on the real file and the link stays a link.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from caseboard.settings import SQL_DIR, load_settings


class StorageError(Exception):
    """A database problem worth a plain message to the user."""


class DatabaseMissing(StorageError):
    """The database file does not exist yet (nothing has been loaded)."""


class WriterBusy(StorageError):
    """Another load or edit holds the write lock."""


class DiscardChanges(Exception):  # noqa: N818 - a signal, not an error
    """Raise inside ``write_connection`` to leave the published database untouched."""


NEW_DB_MODE = 0o600


def resolve_db(db: str | os.PathLike[str] | None = None) -> Path:
    """Return the database path (the argument, else ``$CASEBOARD_DB``, else ./caseboard.duckdb).

    A symbolic link is followed to the file it names, so writers lock and replace
    the real database rather than the link.
    """
    path = Path(db) if db is not None else load_settings().db_path
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def _private_files() -> Iterator[None]:
    """Create files (working copy, DuckDB's WAL) readable by the owner only."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _published_mode(path: Path) -> int:
    """The mode a newly published ``path`` gets: that of the file it replaces, else 0600."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return NEW_DB_MODE


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
        attach_entries(con, path)
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
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy; publish it atomically on success.

    The block's changes become visible to readers all at once when it exits
    without an exception; on an exception (or a kill) the published database
    is exactly as it was. This is only the locking, the private copy and the atomic
    rename: the schema, the views and the precomputed results are the business of
    ``caseboard.publish.publishing``, which every writer of data goes through.
    """
    path = resolve_db(db)
    with write_lock(path, timeout_s), _private_files():
        _remove_stale_working_files(path)
        working = path.with_name(f"{path.name}.writing-{os.getpid()}")
        try:
            if path.exists():
                shutil.copyfile(path, working)
            con = duckdb.connect(str(working))
            try:
                yield con
                con.execute("checkpoint")
            except DiscardChanges:
                return
            finally:
                con.close()
            os.chmod(working, _published_mode(path))
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


# People's entries (caseboard.entries) live in a file of their own beside the database;
# every reader attaches it, so the views that need entries bind.
CATALOG = "entries"
def entries_path(db: str | os.PathLike[str] | None = None) -> Path:
    """The entries file of database ``db``: ``<db>.entries.duckdb`` beside it."""
    path = resolve_db(db)
    return path.with_name(path.name + ".entries.duckdb")


def schema_files() -> list[Path]:
    """The entries tables' ``.sql`` files (sql/entries), in name order."""
    return sorted((SQL_DIR / "entries").glob("*.sql"))


def ensure_entries_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the entries tables that do not exist yet in the connection's current catalog."""
    for path in schema_files():
        con.execute(path.read_text())


def attach_entries(con: duckdb.DuckDBPyConnection,
                   db: str | os.PathLike[str] | None = None, stand_in: bool = False) -> None:
    """Attach the entries of ``db`` read-only as catalog ``entries`` (an empty stand-in when
    there is no entries file yet, or with ``stand_in=True``); the current catalog is kept.

    Call it on a private instance (``duckdb.connect(":memory:")`` or a private working
    file): connections of one shared instance attaching at the same moment would race.
    """
    (current,) = con.execute("select current_database()").fetchone()
    path = entries_path(db)
    if not stand_in and path.exists():
        con.execute(f"attach if not exists $path as {CATALOG} (read_only)",
                    {"path": str(path)})
        return
    con.execute(f"attach if not exists ':memory:' as {CATALOG} (read_only false)")
    con.execute(f"use {CATALOG}")
    try:
        ensure_entries_schema(con)
    finally:
        con.execute(f'use "{current}"')
