"""`caseboard report`: write the weekly owner report (PDF or HTML).

The week holding --week (Monday to Sunday; default: the last complete week before
the data's as-of date): the weekly review tiles with week-over-week and 4-week
comparisons, the acceptance trend and unscheduled aging charts, goal status, the 10
largest unscheduled cases, what changed, and the data's freshness and definitions.
Patients appear by initials unless --with-names is given.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from caseboard.practices import UnknownPractice, resolve_practice
from caseboard.review.format import count
from caseboard.storage import StorageError, read_connection


def _week(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _out(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in {".pdf", ".html", ".htm"}:
        raise argparse.ArgumentTypeError(f"--out must end in .pdf or .html, got {text!r}")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(
        prog="caseboard report", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--week", type=_week, metavar="YYYY-MM-DD",
                        help="any day of the week to report (default: the last complete week)")
    parser.add_argument("--practice", metavar="ID|NAME",
                        help="one practice, by id or name (default: every practice)")
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--with-names", action="store_true",
                        help="show patients' full names (default: initials)")
    parser.add_argument("--window", type=int, metavar="DAYS",
                        help="acceptance window in days (default: $CASEBOARD_WINDOW_DAYS or 90)")
    parser.add_argument("--all-codes", action="store_true",
                        help="count diagnostic, preventive and missed-visit codes in acceptance")
    parser.add_argument("--paper", choices=["letter", "a4"], default="letter",
                        help="page size (default: letter)")
    parser.add_argument("--out", type=_out, metavar="FILE.pdf|FILE.html",
                        help="where to write the report; the extension picks the format")
    parser.add_argument("--email", action="store_true",
                        help="send the PDF to the configured recipients (caseboard/mail.py: "
                        "<home>/mail.toml, owner-only, or CASEBOARD_SMTP_* variables)")
    return parser


def email_report(args, practice_id: str | None, params) -> int:
    """Build the PDF and send it through the office's SMTP server; log the outcome."""
    import datetime as dt

    from caseboard import mail, report, sync

    started = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    entry = {"kind": "email", "started_at": started, "load": "weekly report e-mail"}
    try:
        config = mail.load_mail_config()
        with_names = args.with_names or config.with_names
        pdf = report.build_report_pdf(args.db, args.week, practice_id, with_names, args.paper,
                                      params)
        scope = f" ({practice_id})" if practice_id else ""
        today = dt.date.today().isoformat()
        message = mail.report_message(config, pdf, f"Weekly review{scope}, {today}",
                                      f"weekly-review-{today}.pdf")
        attempts = mail.send(config, message)
    except (mail.MailError, StorageError, report.NoData) as error:
        entry |= {"status": "failed", "error": str(error)}
        sync.append_log(args.db, entry | {"finished_at": _stamp()})
        print(f"caseboard report: {error}", file=sys.stderr)
        return 1
    sync.append_log(args.db, entry | {
        "status": "sent", "attempts": attempts, "recipients": len(config.recipients),
        "finished_at": _stamp(),
    })
    print(f"sent the weekly review to {len(config.recipients)} recipient(s) "
          f"({attempts} attempt(s))")
    return 0


def _stamp() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def main(argv: list[str]) -> int:
    """Write the report; 0 written, 1 no database or nothing to report, 2 usage."""
    from caseboard import report
    from caseboard.metrics import default_params

    args = build_parser().parse_args(argv)
    if args.window is not None and args.window < 0:
        build_parser().error("--window must be 0 or more days")
    if args.out is None and not args.email:
        build_parser().error("give --out FILE, --email, or both")
    params = default_params(window_days=args.window, all_codes=args.all_codes)
    try:
        with read_connection(args.db) as con:
            practice_id = resolve_practice(con, args.practice)
    except (StorageError, UnknownPractice) as error:
        print(f"caseboard report: {error}", file=sys.stderr)
        return 1
    if args.email:
        code = email_report(args, practice_id, params)
        if code or args.out is None:
            return code
    try:
        if args.out.suffix.lower() == ".pdf":
            content = report.build_report_pdf(
                args.db, args.week, practice_id, args.with_names, args.paper, params
            )
        else:
            content = report.build_report_html(
                args.db, args.week, practice_id, args.with_names, args.paper, params
            ).encode("utf-8")
    except (StorageError, report.NoData) as error:
        print(f"caseboard report: {error}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.with_names:  # patient names: readable by the owner only
        args.out.touch(mode=0o600)
        args.out.chmod(0o600)
    args.out.write_bytes(content)
    print(f"wrote {args.out} ({count(len(content))} bytes)")
    return 0
