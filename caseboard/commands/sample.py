"""`caseboard sample`: write a synthetic practice export in the standard format."""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

from caseboard.sample import DEFAULT_END, DEFAULT_MONTHS, generate


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard sample", description=__doc__)
    parser.add_argument("--out", required=True, type=Path, help="folder to write the files into")
    parser.add_argument("--practices", type=_positive, default=1,
                        help="number of practices (1: the messy single-practice sample)")
    parser.add_argument("--months", type=_positive, default=DEFAULT_MONTHS,
                        help=f"months of history ending with --end's month ({DEFAULT_MONTHS})")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--end", type=_date, default=DEFAULT_END,
                        help=f"last day of history ({DEFAULT_END.isoformat()})")
    parser.add_argument("--jobs", type=_positive, default=min(2, os.cpu_count() or 1),
                        help="worker processes for multi-practice output")
    return parser


def main(argv: list[str]) -> int:
    """Generate the export and print what was written."""
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.out, practices=args.practices, months=args.months, seed=args.seed,
                       end=args.end, jobs=args.jobs)
    seconds = time.perf_counter() - started
    total = sum(summary.rows.values())
    for table, count in summary.rows.items():
        print(f"{table:<16} {count:>10,} rows")
    print(f"caseboard: wrote {len(summary.practices)} practice(s), {total:,} rows to {args.out} "
          f"in {seconds:.1f} s ({total / max(seconds, 1e-9):,.0f} rows/s)", file=sys.stderr)
    return 0
