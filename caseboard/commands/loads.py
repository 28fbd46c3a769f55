"""`caseboard loads`: list load batches, newest first (read-only)."""

from __future__ import annotations

import argparse
import json
import sys

from caseboard.storage import StorageError, read_connection
from caseboard.sync import sync_status
from pipelines.load import sql_sections


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard loads", description=__doc__)
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    return parser


def list_loads(db) -> list[dict]:
    """Every batch as a dict: id, source, format, practices, full, times, files, counts."""
    with read_connection(db) as con:
        frame = con.sql(sql_sections("bookkeeping")["list_loads"]).pl()
    loads = []
    for row in frame.iter_rows(named=True):
        loads.append({
            "batch_id": row["batch_id"],
            "source": row["source_id"],
            "format": row["format"],
            "practices": list(row["practices"]),
            "full": row["full_export"],
            "started_at": row["started_at"].isoformat(),
            "finished_at": row["finished_at"].isoformat(),
            "files": json.loads(row["files"]),
            "tables": json.loads(row["counts"]),
            "unchanged": row["unchanged"],
        })
    return loads


def sync_lines(db) -> list[str]:
    """'Last refreshed' and 'last failure' of the scheduled loads (`caseboard sync`), if any."""
    status = sync_status(db)
    lines = []
    done, failed = status["last_refreshed"], status["last_failure"]
    if done is not None:
        lines.append(f"last refreshed: {done['finished_at']} UTC "
                     f"({done['load']}: {done['status']})")
    if failed is not None:
        lines.append(f"last failure:   {failed['finished_at']} UTC ({failed['load']}): "
                     f"{failed['error']}")
    return lines + ([""] if lines else [])


def main(argv: list[str]) -> int:
    """Print the batches; 1 when there is no database."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        loads = list_loads(args.db)
    except StorageError as error:
        print(f"caseboard loads: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(loads, indent=2))
        return 0
    for line in sync_lines(args.db):
        print(line)
    print(f"{'batch':>5}  {'finished (UTC)':<19}  {'source':<12} {'format':<10} {'full':<5} "
          f"{'read':>9} {'loaded':>9} {'quarantined':>11}  practices")
    for load in loads:
        counts = load["tables"].values()
        read = sum(c["read"] for c in counts)
        loaded = sum(c["loaded"] for c in counts)
        quarantined = sum(c["quarantined"] for c in counts)
        print(f"{load['batch_id']:>5}  {load['finished_at'][:19]:<19}  {load['source']:<12} "
              f"{load['format']:<10} {'yes' if load['full'] else 'no':<5} {read:>9} {loaded:>9} "
              f"{quarantined:>11}  {', '.join(load['practices'])}"
              + ("  (unchanged: same files, nothing written)" if load["unchanged"] else ""))
    return 0
