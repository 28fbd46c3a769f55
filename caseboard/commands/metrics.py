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
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def summary(out: dict[str, Any]) -> str:
    """A readable text summary of the metrics object."""
    practice = out["practice"] or "all practices"
    head = f"caseboard metrics as of {out['as_of']} ({practice}, window {out['window_days']} days)"
    new = {m["month"]: m["count"] for m in out["new_patients"]["months"]}
    acceptance = _table(
        "\nCase acceptance and new patients by month",
        ["month", "diagnosed $", "accepted $", "rate $", "rate #", "mature", "new pts"],
        [[m["month"], m["diagnosed_amount"], m["accepted_amount"], _pct(m["rate_amount"]),
          _pct(m["rate_count"]), m["mature"], new[m["month"]]]
         for m in out["acceptance"]["months"]],
    )
    production = _table(
        "\nProduction and collections by month",
        ["month", "gross", "adjustments", "net", "collections", "coll. rate"],
        [[m["month"], m["gross_production"], m["adjustments"], m["net_production"],
          m["collections"], _pct(m["collection_rate"])] for m in out["production"]["months"]],
    )
    unscheduled = out["unscheduled"]
    aging = _table(
        "\nAs of A",
        ["measure", "0-30", "31-90 / 31-60", "91-180 / 61-90", "181-365 / 91+", "365+", "total"],
        [
            ["unscheduled $", *unscheduled["aging"].values(), unscheduled["total_amount"]],
            ["A/R $", out["ar_aging"]["0-30"], out["ar_aging"]["31-60"],
             out["ar_aging"]["61-90"], out["ar_aging"]["91+"], None, out["ar_aging"]["total"]],
            ["claims $", *out["claims_outstanding"]["aging"].values(), None,
             out["claims_outstanding"]["amount"]],
        ],
    )
    readiness = out["readiness"]
    facts = "\n".join([
        "",
        f"Unscheduled: {unscheduled['procedure_count']} procedures, "
        f"{unscheduled['patient_count']} patients",
        f"Credit balances: {out['ar_aging']['credit_balances']:,.2f}",
        f"Outstanding claims: {out['claims_outstanding']['count']}",
        f"Active patients: {out['active_patients']}",
        f"New patients, average of the last 3 complete months: "
        f"{readiness['new_patients_avg_3m']:.2f}",
        f"Ready for a treatment coordinator: {'yes' if readiness['ready'] else 'no'}",
    ])
    if readiness.get("practices"):
        facts += "\n" + _table(
            "\nReadiness per practice",
            ["practice", "active patients", "new pts/month (3 mo)", "ready"],
            [[p["practice"], p["active_patients"], p["new_patients_avg_3m"], p["ready"]]
             for p in readiness["practices"]],
        )
    if readiness.get("payback"):
        facts += "\n" + _table(
            "\nCoordinator payback (a month)",
            ["measure", "value"],
            [[name.replace("_", " "), value] for name, value in readiness["payback"].items()],
        )
    return "\n".join([head, acceptance, production, aging, facts])


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
