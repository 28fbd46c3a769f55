"""`caseboard metrics`: print every metric, or with --json the spec's object."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

import duckdb

from caseboard.metrics import MetricsError, default_params, metrics_json
from caseboard.practices import UnknownPractice, resolve_practice
from caseboard.review.format import count, day, money, month, percent
from caseboard.storage import StorageError, read_connection, resolve_db


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a month YYYY-MM, got {text!r}") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of days >= 0, got {text!r}")
    return value


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected an amount >= 0, got {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"expected a fraction from 0 to 1 (0.65 for 65%), got {text!r}")
    return value


def _weeks(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of weeks >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard metrics", description=__doc__)
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--as-of", type=_day, help="as-of date A (default: newest event date)")
    parser.add_argument("--from", dest="month_from", type=_month, help="first month YYYY-MM")
    parser.add_argument("--to", dest="month_to", type=_month, help="last month YYYY-MM")
    parser.add_argument("--practice", help="one practice, by id or name (default: all practices)")
    parser.add_argument("--window", type=_days,
                        help="acceptance window in days (default: $CASEBOARD_WINDOW_DAYS or 90)")
    parser.add_argument("--all-codes", action="store_true",
                        help="count D0*/D1*/D9986/D9987 in acceptance")
    parser.add_argument("--coordinator-cost", type=_amount,
                        help="a coordinator's yearly cost C, for readiness.payback (with "
                             "--target-rate)")
    parser.add_argument("--target-rate", type=_fraction,
                        help="the acceptance rate t a coordinator would reach, a fraction "
                             "(0.65), for readiness.payback (with --coordinator-cost)")
    parser.add_argument("--variable-cost", type=_fraction,
                        help="lab and supplies share of fees v (default: "
                             "$CASEBOARD_VARIABLE_COST or 0.14)")
    parser.add_argument("--weeks", type=_weeks,
                        help="weeks shown, ending with the week holding A (default 13)")
    parser.add_argument("--age", type=_days,
                        help="measure every month and week this many days after it ended "
                             "(acceptance at equal age)")
    parser.add_argument("--json", action="store_true", help="print the spec's JSON object")
    return parser


def _table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = [title, "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    """Table cells: text as given (amounts come formatted), yes/no, counts with separators."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return count(value)


def _cents(value: float | None) -> str:
    """Amounts in the CLI's tables: to the cent, as they tie out to the source."""
    return money(value, cents=True)


def _month_label(text: str) -> str:
    return month(dt.date.fromisoformat(f"{text}-01"))


UNSCHEDULED_BUCKETS = ["0-30", "31-90", "91-180", "181-365", "365+"]
AR_BUCKETS = ["0-30", "31-60", "61-90", "91+"]


def summary(out: dict[str, Any]) -> str:
    """A readable text summary of the metrics object."""
    as_of = day(dt.date.fromisoformat(out["as_of"]))
    practice = out["practice"] or "all practices"
    head = f"caseboard metrics as of {as_of} ({practice}, window {out['window_days']} days)"
    new = {m["month"]: m["count"] for m in out["new_patients"]["months"]}
    acceptance = _table(
        "\nCase acceptance and new patients by month",
        ["month", "diagnosed", "accepted", "rate $", "rate #", "mature", "new patients"],
        [[_month_label(m["month"]), _cents(m["diagnosed_amount"]), _cents(m["accepted_amount"]),
          percent(m["rate_amount"]), percent(m["rate_count"]), m["mature"], new[m["month"]]]
         for m in out["acceptance"]["months"]],
    )
    production = _table(
        "\nProduction and collections by month",
        ["month", "gross", "adjustments", "net", "collections", "coll. rate"],
        [[_month_label(m["month"]), *map(_cents, (m["gross_production"], m["adjustments"],
                                            m["net_production"], m["collections"])),
          percent(m["collection_rate"])] for m in out["production"]["months"]],
    )
    unscheduled = out["unscheduled"]
    aging = unscheduled["aging"]
    unscheduled_table = _table(
        f"\nUnscheduled treatment as of {as_of}, by days since diagnosis",
        [*UNSCHEDULED_BUCKETS, "total"],
        [[*(_cents(aging[b]) for b in UNSCHEDULED_BUCKETS), _cents(unscheduled["total_amount"])]],
    )
    ar, claims = out["ar_aging"], out["claims_outstanding"]
    receivables = _table(
        f"\nA/R and outstanding claims as of {as_of}, by days",
        ["", *AR_BUCKETS, "total"],
        [["A/R", *(_cents(ar[b]) for b in AR_BUCKETS), _cents(ar["total"])],
         ["claims", *(_cents(claims["aging"][b]) for b in AR_BUCKETS),
          _cents(claims["amount"])]],
    )
    readiness = out["readiness"]
    facts = "\n".join([
        "",
        f"Unscheduled: {count(unscheduled['procedure_count'])} procedures, "
        f"{count(unscheduled['patient_count'])} patients",
        f"Credit balances: {_cents(ar['credit_balances'])}",
        f"Outstanding claims: {count(claims['count'])}",
        f"Active patients: {count(out['active_patients'])}",
        "New patients, average of the last 3 complete months: "
        f"{count(readiness['new_patients_avg_3m'])}",
        f"Ready for a treatment coordinator: {'yes' if readiness['ready'] else 'no'}",
    ])
    if readiness.get("practices"):
        facts += "\n" + _table(
            "\nReadiness per practice",
            ["practice", "active patients", "new pts/month (3 mo)", "ready"],
            [[p["practice"], count(p["active_patients"]), count(p["new_patients_avg_3m"]),
              "yes" if p["ready"] else "no"] for p in readiness["practices"]],
        )
    if readiness.get("payback"):
        facts += "\n" + _table(
            "\nCoordinator payback (a month)",
            ["measure", "value"],
            [[name.replace("_", " "), _payback_value(name, value)]
             for name, value in readiness["payback"].items()],
        )
    return "\n".join([head, acceptance, production, unscheduled_table, receivables, facts])


def _payback_value(name: str, value: Any) -> str:
    """One payback figure as the rest of the summary writes it: rates and shares in percent,
    amounts in dollars and cents, yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name.endswith(("_rate", "_share")):
        return percent(value)
    if isinstance(value, (int, float)):
        return _cents(value)
    return str(value)


def main(argv: list[str]) -> int:
    """Print the metrics of a database; 1 when it is missing, 2 on bad arguments."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if (args.coordinator_cost is None) != (args.target_rate is None):
        parser.error("--coordinator-cost and --target-rate go together (the payback needs both)")
    try:
        with read_connection(resolve_db(args.db)) as con:
            params = default_params(
                coordinator_cost=args.coordinator_cost,
                target_rate=args.target_rate,
                variable_cost=args.variable_cost,
                as_of=args.as_of,
                window_days=args.window,
                all_codes=args.all_codes,
                practice_id=resolve_practice(con, args.practice),
                month_from=args.month_from,
                month_to=args.month_to,
                week_count=args.weeks,
                age_days=args.age,
            )
            out = metrics_json(con, params)
    except (MetricsError, UnknownPractice) as error:
        parser.print_usage(sys.stderr)
        print(f"caseboard metrics: error: {error}", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"caseboard metrics: {error}", file=sys.stderr)
        return 1
    except duckdb.Error as error:
        print(f"caseboard metrics: cannot read the database: {error}", file=sys.stderr)
        return 1
    print(json.dumps(out, indent=2) if args.json else summary(out))
    return 0
