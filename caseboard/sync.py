"""Scheduled loads: the configured loads every N minutes or at set times, one run at a time.

A run takes a lock beside the database (``<db>.sync.lock``): a run that finds it
held is logged as skipped, so runs never overlap. Each load of a run appends one
JSON line to ``<db>.sync.jsonl`` (readable by its owner only): when, which
source, the outcome (loaded, unchanged, failed, skipped), rows read, changed and
removed, the duration and, on failure, the refusal's reasons with emails, phone
numbers and passwords redacted (never row contents of an exception message).
``sync_status`` reads it back for ``caseboard loads`` and the dashboard.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from caseboard import logsafe
from caseboard.storage import StorageError, resolve_db

LOG_SUFFIX = ".sync.jsonl"
LOCK_SUFFIX = ".sync.lock"
MAX_REASONS = 3


class SyncConfigError(ValueError):
    """A sync configuration that cannot be used (the message says what and where)."""


@dataclass(frozen=True)
class Job:
    """One configured load: export paths or a mysql:// URL, and the ingest options."""

    paths: tuple[str, ...] = ()
    mysql_config: str | None = None
    source: str | None = None
    practice: str | None = None
    timeout_s: float | None = None
    fmt: str | None = None

    @property
    def label(self) -> str:
        """What the log calls this load (no password)."""
        from pipelines.opendental import redact_url

        if self.source:
            return self.source
        shown = [redact_url(p) if p.startswith("mysql://") else p for p in self.paths]
        return ", ".join(shown) or f"mysql option file {self.mysql_config}"


@dataclass
class Schedule:
    """When runs happen: every ``every_minutes``, or at ``times`` (local HH:MM) each day."""

    every_minutes: float | None = None
    times: list[dt.time] = field(default_factory=list)

    def next_run(self, after: dt.datetime) -> dt.datetime:
        """The first run time strictly after ``after`` (local, naive)."""
        if self.every_minutes is not None:
            return after + dt.timedelta(minutes=self.every_minutes)
        candidates = [
            dt.datetime.combine(after.date() + dt.timedelta(days=day), at)
            for day in (0, 1) for at in self.times
        ]
        return min(c for c in candidates if c > after)


def parse_times(text: str) -> list[dt.time]:
    """``"07:00,12:30"`` -> times; SyncConfigError on anything else."""
    times = []
    for part in text.split(","):
        try:
            times.append(dt.datetime.strptime(part.strip(), "%H:%M").time())
        except ValueError:
            raise SyncConfigError(f"expected times as HH:MM[,HH:MM...], got {part!r}") from None
    return sorted(set(times))


def read_config(path: str | os.PathLike[str]) -> tuple[list[Job], Schedule]:
    """The loads and schedule of a TOML file: ``every_minutes`` or ``at``, and ``[[load]]``s."""
    path = Path(path)
    try:
        config = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SyncConfigError(f"{path}: {error}") from None
    jobs = []
    for index, entry in enumerate(config.get("load", []), start=1):
        paths = entry.get("paths") or ([entry["path"]] if "path" in entry else [])
        if "url" in entry:
            paths = [entry["url"]]
        if not paths and "mysql_config" not in entry:
            raise SyncConfigError(f"{path}: [[load]] {index} needs path, paths, url or "
                                  "mysql_config")
        jobs.append(Job(
            paths=tuple(str(p) for p in paths), mysql_config=entry.get("mysql_config"),
            source=entry.get("source"), practice=entry.get("practice"),
            timeout_s=entry.get("timeout"), fmt=entry.get("format"),
        ))
    if not jobs:
        raise SyncConfigError(f"{path}: no [[load]] configured")
    schedule = Schedule(
        every_minutes=config.get("every_minutes"),
        times=parse_times(config["at"]) if "at" in config else [],
    )
    return jobs, schedule


def log_path(db: str | os.PathLike[str] | None) -> Path:
    """The run log beside the database."""
    path = resolve_db(db)
    return path.with_name(path.name + LOG_SUFFIX)


def read_log(db: str | os.PathLike[str] | None) -> list[dict]:
    """Every logged load, oldest first ([] without a log)."""
    path = log_path(db)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text().splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            entries.append(json.loads(line))
    return entries


def sync_status(db: str | os.PathLike[str] | None) -> dict:
    """``last_refreshed`` (the newest load that succeeded, unchanged included),
    ``last_failure`` (the newest failed load or e-mail, with its error) and
    ``last_email`` (the newest report e-mail), each an entry or None."""
    entries = read_log(db)
    done = [e for e in entries if e["status"] in ("loaded", "unchanged")]
    failed = [e for e in entries if e["status"] == "failed"]
    emails = [e for e in entries if e.get("kind") == "email"]
    return {
        "last_refreshed": done[-1] if done else None,
        "last_failure": failed[-1] if failed else None,
        "last_run": entries[-1] if entries else None,
        "last_email": emails[-1] if emails else None,
    }


def append_log(db, entry: dict) -> None:
    """Append one entry to the run log (created readable by its owner only)."""
    path = log_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(json.dumps(entry) + "\n")


@contextlib.contextmanager
def _run_lock(db) -> Iterator[bool]:
    """Yield True holding the sync lock, False when another run holds it."""
    path = resolve_db(db)
    lock = path.with_name(path.name + LOCK_SUFFIX)
    lock.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _error_text(error: BaseException) -> str:
    from pipelines.model import ExportRefused

    if isinstance(error, ExportRefused):
        reasons = [r.reason for r in error.rejects[:MAX_REASONS]]
        more = len(error.rejects) - len(reasons)
        text = "refused: " + "; ".join(reasons) + (f" (and {more} more)" if more > 0 else "")
    elif isinstance(error, StorageError):
        text = str(error)
    else:  # an unexpected error's message may quote row contents: its type only
        text = logsafe.safe_exception_text(error)
    return logsafe.redact(text)


def run_job(db, job: Job) -> dict:
    """Load one job and return its log entry (never raises for a refused or failed load)."""
    from pipelines.ingest import ingest_paths

    started = time.monotonic()
    entry: dict = {"started_at": _now(), "load": job.label}
    try:
        summary = ingest_paths(
            list(job.paths), db=db, practice_id=job.practice, source_id=job.source,
            fmt=job.fmt, mysql_config=job.mysql_config, timeout_s=job.timeout_s,
        )
    except Exception as error:  # noqa: BLE001 - every failure is logged; the next run retries
        entry |= {"status": "failed", "error": _error_text(error)}
    else:
        read = sum(counts["read"] for counts in summary.tables.values())
        entry |= {
            "status": "unchanged" if summary.unchanged else "loaded",
            "source": summary.source,
            "batch_id": summary.batch_id,
            "rows_read": read,
            "rows_changed": summary.changed_rows,
            "rows_removed": summary.removed_rows,
            "rows_quarantined": len({(r.table, r.row, r.key) for r in summary.rejects}),
            "warnings": sum(note.startswith("warning: ") for note in summary.notes),
        }
    entry |= {"finished_at": _now(), "duration_s": round(time.monotonic() - started, 2)}
    return entry


def run_once(db, jobs: list[Job]) -> list[dict]:
    """One run: every job in turn under the sync lock; each logged. Skipped when locked."""
    with _run_lock(db) as held:
        if not held:
            entry = {"started_at": _now(), "finished_at": _now(), "load": "all",
                     "status": "skipped", "duration_s": 0.0,
                     "error": "another sync run was still going"}
            append_log(db, entry)
            return [entry]
        entries = []
        for job in jobs:
            entry = run_job(db, job)
            append_log(db, entry)
            entries.append(entry)
        return entries


def run_forever(
    db, jobs: list[Job], schedule: Schedule, *,
    max_runs: int | None = None,
    clock: Callable[[], dt.datetime] = dt.datetime.now,
    sleep: Callable[[float], None] = time.sleep,
    report: Callable[[list[dict]], None] | None = None,
) -> int:
    """Run now, then at each scheduled time, until ``max_runs`` runs (forever when None)."""
    runs = 0
    while max_runs is None or runs < max_runs:
        entries = run_once(db, jobs)
        runs += 1
        if report is not None:
            report(entries)
        if max_runs is not None and runs >= max_runs:
            break
        due = schedule.next_run(clock())
        while (wait := (due - clock()).total_seconds()) > 0:
            sleep(min(wait, 60.0))
    return runs
