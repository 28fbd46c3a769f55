"""`caseboard rejects`: list quarantined rows and their reasons (read-only).

Only the reason (which names the offending value) is shown; the original
row stays in the database (``rejects.row_data``) so no patient record is
printed whole.
"""

from __future__ import annotations

import argparse
import json
import sys

from caseboard.storage import StorageError, read_connection
from pipelines.load import sql_sections


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard rejects", description=__doc__)
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--batch", type=int, help="only this batch")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    return parser


def list_rejects(db, batch_id: int | None = None) -> list[dict]:
    """Quarantined rows: batch, table, file, row, key, column, reason."""
    query = sql_sections("bookkeeping")["list_rejects"]
    with read_connection(db) as con:
        frame = con.sql(query, params={"batch_id": batch_id}).pl()
    return [
        {
            "batch_id": row["batch_id"],
            "table": row["table_name"],
            "file": row["file_name"],
            "row": row["row_number"],
            "key": row["row_key"],
            "column": row["column_name"],
            "reason": row["reason"],
        }
        for row in frame.iter_rows(named=True)
    ]


def main(argv: list[str]) -> int:
    """Print the quarantined rows; 1 when there is no database."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        rejects = list_rejects(args.db, args.batch)
    except StorageError as error:
        print(f"caseboard rejects: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(rejects, indent=2))
        return 0
    if not rejects:
        print("no quarantined rows")
        return 0
    for reject in rejects:
        print(f"batch {reject['batch_id']}: {reject['reason']}")
    return 0
