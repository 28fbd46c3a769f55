"""`caseboard sync`: run the configured loads now, then every N minutes or at set times.

Give one load on the command line (an export folder a PMS job refreshes, or a
mysql:// URL / --mysql-config file) or several in a TOML file (--config):

    every_minutes = 60          # or: at = "06:30,12:30"
    [[load]]
    url = "mysql://caseboard@192.168.1.10/opendental"
    timeout = 300
    [[load]]
    path = "/srv/exports/dentrix"
    practice = "north"

Runs never overlap (a lock beside the database); each load is logged without
patient data in <db>.sync.jsonl, shown by `caseboard loads` and the Data page.
With --once it runs once and exits (for a systemd timer or cron): 0 when every
load succeeded or was unchanged (or another run was still going), 1 when one failed.
"""

from __future__ import annotations

import argparse
import sys

from caseboard import sync
from caseboard.storage import resolve_db


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected minutes > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(
        prog="caseboard sync", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="export folder or mysql:// URL of the one load")
    parser.add_argument("--config", metavar="FILE", help="TOML file of loads and schedule")
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--mysql-config", metavar="FILE", help="MySQL option file of the load")
    parser.add_argument("--source", help="source name of the load")
    parser.add_argument("--practice", help="practice id of the load")
    parser.add_argument("--timeout", type=float, metavar="SECONDS",
                        help="wait at most this long for a live database")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--every", type=_minutes, metavar="MINUTES", help="run every N minutes")
    when.add_argument("--at", metavar="HH:MM[,HH:MM]", help="run at these local times each day")
    when.add_argument("--once", action="store_true", help="run once and exit")
    return parser


def _print(entries: list[dict]) -> None:
    for entry in entries:
        line = f"{entry['finished_at']}  {entry['load']}: {entry['status']}"
        if entry["status"] in ("loaded", "unchanged"):
            line += (f" (batch {entry['batch_id']}, {entry['rows_read']:,} rows read, "
                     f"{entry['rows_changed']:,} changed, {entry['rows_removed']:,} removed, "
                     f"{entry['duration_s']:.1f} s)")
        else:
            line += f": {entry.get('error', '')}"
        print(line, file=sys.stdout if entry["status"] != "failed" else sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    """Run the loads; with --once 0 all fine, 1 one failed; 2 usage error."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        if args.config:
            if args.paths or args.mysql_config:
                raise sync.SyncConfigError("give the loads in --config or on the command line")
            jobs, schedule = sync.read_config(args.config)
        else:
            if not args.paths and not args.mysql_config:
                raise sync.SyncConfigError("give a PATH, a mysql:// URL, --mysql-config or "
                                           "--config")
            jobs = [sync.Job(paths=tuple(args.paths), mysql_config=args.mysql_config,
                             source=args.source, practice=args.practice,
                             timeout_s=args.timeout)]
            schedule = sync.Schedule()
        if args.every is not None:
            schedule = sync.Schedule(every_minutes=args.every)
        elif args.at:
            schedule = sync.Schedule(times=sync.parse_times(args.at))
    except sync.SyncConfigError as error:
        print(f"caseboard sync: {error}", file=sys.stderr)
        return 2
    db = resolve_db(args.db)
    if args.once or (schedule.every_minutes is None and not schedule.times):
        entries = sync.run_once(db, jobs)
        _print(entries)
        return 1 if any(e["status"] == "failed" for e in entries) else 0
    try:
        sync.run_forever(db, jobs, schedule, report=_print)
    except KeyboardInterrupt:
        return 0
    return 0
