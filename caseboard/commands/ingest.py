"""`caseboard ingest`: load a standard or Open Dental export into DuckDB as one batch."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from caseboard.storage import StorageError, resolve_db
from pipelines.ingest import FORMATS, ingest_paths
from pipelines.load import LoadSummary
from pipelines.model import ExportRefused


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard ingest", description=__doc__)
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="export folder, .zip, table files, or a mysql:// URL")
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--practice", help="practice id for files without a practice_id column")
    parser.add_argument("--source", help="source name: one practice-management database "
                        "(default: DATABASE@HOST for a live database, else the practice id,"
                        " else 'main')")
    parser.add_argument("--full", action="store_true",
                        help="the export is complete: mark rows it lacks as removed (always so"
                        " for Open Dental: a live database or its table exports)")
    parser.add_argument("--format", choices=FORMATS, help="skip detection")
    parser.add_argument("--json", action="store_true", help="print the batch summary as JSON")
    parser.add_argument("--mysql-config", metavar="FILE",
                        help="MySQL option file ([client] host, user, password, database) for a"
                        " live Open Dental database; a mysql:// URL, if given, overrides it")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="wait at most this long for a live database's server (default:"
                        " $CASEBOARD_MYSQL_TIMEOUT or 300)")
    parser.add_argument("--replace-source", action="store_true",
                        help="load even when the data looks like another practice's than the"
                        " source it replaces")
    return parser


class ProgressBar:
    """A one-line progress bar on a terminal's stderr, shown once a load passes ``delay`` s."""

    def __init__(self, stream: TextIO | None = None, delay: float = 1.0):
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.started = time.monotonic()
        self.enabled = self.stream.isatty()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Draw the bar for ``done`` of ``total`` steps, if on a terminal and slow enough."""
        if not self.enabled or time.monotonic() - self.started < self.delay:
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {stage[:40]:<40}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Clear the bar's line."""
        if self.shown:
            self.stream.write("\r" + " " * 75 + "\r")
            self.stream.flush()


def render(summary: LoadSummary, db: Path) -> str:
    """The human report of a load: per-table counts, each reject, notes."""
    practices = ", ".join(summary.practices) or "-"
    if summary.unchanged:
        head = (f"unchanged: these files were already loaded as batch {summary.batch_id} "
                f"(source {summary.source}); nothing changed in {db}")
    else:
        head = (f"loaded batch {summary.batch_id} into {db} "
                f"(source {summary.source}, practices {practices})")
    lines = [head, "", f"{'table':<16}{'read':>10}{'loaded':>10}{'quarantined':>13}"]
    for name, counts in summary.tables.items():
        lines.append(
            f"{name:<16}{counts['read']:>10}{counts['loaded']:>10}{counts['quarantined']:>13}"
        )
    if summary.rejects:
        lines += ["", f"quarantined rows ({len(summary.rejects)} reasons; "
                      "see `caseboard rejects`):"]
        lines += [f"  {reject.reason}" for reject in summary.rejects]
    if summary.notes:
        lines += ["", "notes:"] + [f"  {note}" for note in summary.notes]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Load the export; 0 loaded, 1 refused whole, 2 usage error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    if not args.paths and args.mysql_config is None:
        parser.print_usage(sys.stderr)
        print("caseboard ingest: give a PATH or --mysql-config FILE", file=sys.stderr)
        return 2
    if args.mysql_config is not None and any(not p.startswith("mysql://") for p in args.paths):
        print("caseboard ingest: --mysql-config goes with a mysql:// URL or no PATH",
              file=sys.stderr)
        return 2
    if args.mysql_config is not None and not Path(args.mysql_config).is_file():
        print(f"caseboard ingest: no such file: {args.mysql_config}", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not p.startswith("mysql://") and not Path(p).exists()]
    if missing:
        print(f"caseboard ingest: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    db = resolve_db(args.db)
    bar = ProgressBar()
    try:
        summary = ingest_paths(
            args.paths, db=db, practice_id=args.practice, source_id=args.source,
            full=args.full, fmt=args.format, progress=bar, mysql_config=args.mysql_config,
            timeout_s=args.timeout, replace_source=args.replace_source,
        )
    except ExportRefused as refusal:
        bar.close()
        print("refused: nothing was loaded", file=sys.stderr)
        for reject in refusal.rejects:
            print(f"  {reject.reason}", file=sys.stderr)
        return 1
    except StorageError as error:
        bar.close()
        print(f"caseboard ingest: {error}", file=sys.stderr)
        return 1
    bar.close()
    if args.json:
        print(json.dumps(summary.to_json(), indent=2))
    else:
        print(render(summary, db))
    return 0
