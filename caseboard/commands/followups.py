"""`caseboard followups add|list|export|import`: the coordinator's follow-up log (spec section 10).

The log lives in ``<db>.entries.duckdb`` beside the database and no load touches it.
CSV columns: practice_id, patient_id, contact_date, outcome, reason, next_contact_date,
note, team_member_id (and source where several sources are loaded). Importing the same
file twice adds nothing; a bad row refuses the whole file, naming file, row and column.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import duckdb

from caseboard import followups
from caseboard.followups import Contact, FollowupError, Sources
from caseboard.settings import SQL_DIR
from caseboard.storage import DatabaseMissing, StorageError, read_connection

GONE = "no longer in the practice data"


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard followups", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    db_help = "database file (default: $CASEBOARD_DB or ./caseboard.duckdb)"
    commands = parser.add_subparsers(dest="action", required=True)
    add = commands.add_parser("add", help="record one contact")
    add.add_argument("--db", help=db_help)
    add.add_argument("--practice", required=True, help="the patient's practice_id")
    add.add_argument("--patient", required=True, help="the patient's patient_id")
    add.add_argument("--source", help="the patient's source (when several are loaded)")
    add.add_argument("--date", type=date.fromisoformat, default=date.today(),
                     help="contact date YYYY-MM-DD (default today)")
    add.add_argument("--outcome", required=True, choices=followups.OUTCOMES)
    add.add_argument("--reason", choices=followups.REASONS, help="why, for --outcome declined")
    add.add_argument("--next", type=date.fromisoformat, help="next-contact date YYYY-MM-DD")
    add.add_argument("--note", help=f"a short note (at most {followups.NOTE_LIMIT} characters)")
    add.add_argument("--member", help="team member id of who made the contact")
    listing = commands.add_parser("list", help="print the log")
    listing.add_argument("--db", help=db_help)
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    export = commands.add_parser("export", help="write the log as CSV")
    export.add_argument("--db", help=db_help)
    export.add_argument("--out", required=True, help="CSV file to write ('-' for stdout)")
    load = commands.add_parser("import", help="add the rows of an exported CSV")
    load.add_argument("file", help="CSV file in the export's columns")
    load.add_argument("--db", help=db_help)
    return parser


def _list(db) -> list[dict]:
    """Every entry, with whether the patient is still in the practice data (None if unknown)."""
    try:
        with read_connection(db) as con:
            frame = con.sql((SQL_DIR / "queries" / "followup_list.sql").read_text()).pl()
    except (DatabaseMissing, duckdb.CatalogException):
        frame = followups.read_log(db).drop("recorded_at")
    entries = []
    for row in frame.iter_rows(named=True):
        row = {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
        entries.append(row)
    return entries


def _run(args: argparse.Namespace) -> int:
    if args.action == "add":
        source = Sources.of(args.db).resolve(args.practice, args.patient, args.source)
        added = followups.record(args.db, [Contact(
            source, args.practice, args.patient, args.date, args.outcome, args.reason,
            args.next, args.note, args.member)])
        print("recorded the contact" if added else "that contact was already recorded")
    elif args.action == "list":
        entries = _list(args.db)
        if args.json:
            print(json.dumps(entries, indent=2))
        elif not entries:
            print("no contacts recorded")
        for row in [] if args.json else entries:
            gone = f" ({GONE})" if row.get("in_practice_data") is False else ""
            reason = f" ({row['reason']})" if row["reason"] else ""
            then = f", next {row['next_contact_date']}" if row["next_contact_date"] else ""
            print(f"{row['contact_date']} {row['practice_id']}/{row['patient_id']}{gone}: "
                  f"{row['outcome']}{reason}{then} by {row['team_member_id'] or '-'}"
                  f"{' - ' + row['note'] if row['note'] else ''}")
    elif args.action == "export":
        text = followups.export_csv(args.db)
        if args.out == "-":
            sys.stdout.write(text)
        else:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"wrote {len(text.splitlines()) - 1} contacts to {args.out}")
    else:
        added = followups.import_csv(args.file, args.db)
        print(f"imported {added} new contacts from {Path(args.file).name}")
    return 0


def main(argv: list[str]) -> int:
    """Run one follow-up action; 1 when refused (every problem printed), 2 on a usage error."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    try:
        return _run(args)
    except FollowupError as error:
        for problem in error.problems:
            print(f"caseboard followups: {problem}", file=sys.stderr)
        print("caseboard followups: nothing was recorded", file=sys.stderr)
        return 1
    except (StorageError, OSError) as error:
        print(f"caseboard followups: {error}", file=sys.stderr)
        return 1
