"""Prototype: precompute what the pages read, and prove it gives the same numbers.

`python bench/precompute.py SRC_DB OUT_DB [--practice ID]` copies the loaded
database, replaces the parameter-free views by sorted tables
(bench/sql/precompute.sql), then compares every mart view on both databases
for all practices and for one practice: the rows must be identical. Prints
the time the precompute took and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

from caseboard import metrics

SCRIPT = Path(__file__).resolve().parent / "sql" / "precompute.sql"


def precompute(src: Path, out: Path) -> float:
    """Copy ``src`` to ``out`` and precompute there; return the seconds the SQL took."""
    for suffix in ("", ".wal"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, out)
    con = duckdb.connect(str(out))
    try:
        start = time.perf_counter()
        con.execute(SCRIPT.read_text())
        return time.perf_counter() - start
    finally:
        con.close()


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def compare(a: Path, b: Path, practices: list[str | None]) -> dict[str, list[str]]:
    """Mart views whose rows differ between the two databases, per practice filter."""
    differences: dict[str, list[str]] = {}
    con_a = duckdb.connect(str(a), read_only=True)
    con_b = duckdb.connect(str(b), read_only=True)
    try:
        for practice in practices:
            label = practice or "all"
            params = metrics.MetricParams(practice_id=practice)
            for view in sorted(metrics.view_names()):
                left = _sorted(metrics.query_view(con_a, view, params))
                right = _sorted(metrics.query_view(con_b, view, params))
                if not left.equals(right):
                    differences.setdefault(label, []).append(view)
    finally:
        con_a.close()
        con_b.close()
    return differences


def main(argv: list[str] | None = None) -> int:
    """Precompute into a copy, compare every view, print a JSON line."""
    parser = argparse.ArgumentParser(prog="bench/precompute.py")
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--practice", help="also compare with this practice's filter")
    parser.add_argument("--no-compare", action="store_true", help="only precompute")
    args = parser.parse_args(argv)
    seconds = precompute(args.src, args.out)
    differences = None
    if not args.no_compare:
        practices = [None, args.practice] if args.practice else [None]
        differences = compare(args.src, args.out, practices)
    print(json.dumps({"precompute_s": round(seconds, 2), "views": len(metrics.view_names()),
                      "differences": differences,
                      "db_mb": round(args.out.stat().st_size / 1e6, 1),
                      "src_mb": round(args.src.stat().st_size / 1e6, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
