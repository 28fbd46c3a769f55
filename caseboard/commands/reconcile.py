"""`caseboard reconcile`: tie caseboard out to Open Dental's own reports.

For the dates --from to --to (inclusive), prints caseboard's gross production,
adjustments, insurance write-offs, patient income, insurance income and
new-patient count beside the totals Open Dental's Production & Income and New
Patients reports would show (computed from the Open Dental rows kept at the
last load), and explains each difference it knows the cause of.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal

from caseboard.practices import UnknownPractice, resolve_practice
from caseboard.storage import StorageError, read_connection


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(
        prog="caseboard reconcile",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--from", dest="date_from", type=_date, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_date, required=True, metavar="YYYY-MM-DD")
    parser.add_argument("--practice", metavar="ID|NAME",
                        help="one practice, by id or name (default: every practice)")
    parser.add_argument("--live", metavar="mysql://...",
                        help="the live Open Dental database loaded: say whether it changed "
                        "since the load (read-only; the password as for caseboard ingest)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser


def changed_since_load(db, url: str) -> list[str]:
    """The Open Dental tables whose checksum differs from the one kept at the last load."""
    from pipelines import opendental
    from pipelines.load import sql_sections

    origin, _, live = opendental.mysql_fingerprint(url)
    with read_connection(db) as con:
        rows = con.sql(
            sql_sections("bookkeeping")["origin_checksums"], params={"origin": origin}
        ).fetchall()
    if not rows or not rows[0][1]:
        raise opendental.OpenDentalError(
            f"{opendental.redact_url(url)} was never loaded into this database with its "
            "checksums: load it first (caseboard ingest URL)"
        )
    kept = json.loads(rows[0][1])
    return sorted(t for t in set(kept) | set(live) if kept.get(t) != live.get(t))


def _plain(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _text(rows: list[dict]) -> str:
    lines = [f"{'':<40} {'caseboard':>14} {'Open Dental':>14} {'difference':>14}"]
    for row in rows:
        lines.append(
            f"{row['label']:<40} {row['caseboard']:>14,} {row['opendental']:>14,} "
            f"{row['difference']:>+14,}"
        )
        lines.append(f"    Open Dental report: {row['opendental_report']}")
        lines += [f"    - {item['text']}" for item in row["explanations"]]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the reconciliation; 0 done, 1 no database or no Open Dental data, 2 usage."""
    from pipelines.opendental_reconcile import reconcile

    args = build_parser().parse_args(argv)
    if args.date_to < args.date_from:
        print("caseboard reconcile: --to is before --from", file=sys.stderr)
        return 2
    from pipelines.opendental import OpenDentalError

    try:
        changed = None if args.live is None else changed_since_load(args.db, args.live)
        with read_connection(args.db) as con:
            practice_id = resolve_practice(con, args.practice)
            rows = reconcile(con, args.date_from, args.date_to, practice_id, changed)
    except StorageError as error:
        print(f"caseboard reconcile: {error}", file=sys.stderr)
        return 1
    except UnknownPractice as error:
        print(f"caseboard reconcile: {error}", file=sys.stderr)
        return 2
    except OpenDentalError as error:
        print(f"caseboard reconcile: {error}", file=sys.stderr)
        return 1
    if not rows or not rows[0]["opendental_loaded"]:
        print(
            "caseboard reconcile: no Open Dental data loaded in this database "
            "(load one with caseboard ingest --format opendental DIR or a mysql:// URL)",
            file=sys.stderr,
        )
        return 1
    if args.json:
        payload = {
            "from": args.date_from.isoformat(),
            "to": args.date_to.isoformat(),
            "practice_id": practice_id,
            "live_database": _live_state(changed),
            "metrics": [
                {key: _plain(value) for key, value in row.items() if key != "explanations"}
                | {
                    "explanations": [
                        {key: _plain(value) for key, value in item.items()}
                        for item in row["explanations"]
                    ]
                }
                for row in rows
            ],
        }
        print(json.dumps(payload, indent=2))
    else:
        state = _live_state(changed)
        print((f"Open Dental database: {state}\n" if state else "") + _text(rows))
    return 0


def _live_state(changed: list[str] | None) -> str | None:
    """Whether the live database changed since the load, in words; None when not checked."""
    if changed is None:
        return None
    if changed:
        return f"the database changed since the load (tables {', '.join(changed)})"
    return "unchanged since the load"
