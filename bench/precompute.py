"""Prototype: precompute what the pages read, and prove it gives the same numbers.

`python bench/precompute.py SRC_DB OUT_DB [--practice ID]` copies the loaded
database, replaces the parameter-free views that are still views by sorted
tables (bench/sql/precompute.sql), then compares every mart view on both databases
for all practices and for one practice: the rows must be identical. Prints
the time the precompute took and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

from caseboard import metrics

SCRIPT = Path(__file__).resolve().parent / "sql" / "precompute.sql"


def sections() -> dict[str, str]:
    """The ``-- name: X`` sections of bench/sql/precompute.sql, in file order."""
    found: dict[str, str] = {}
    for chunk in re.split(r"^-- name: ", SCRIPT.read_text(), flags=re.MULTILINE)[1:]:
        title, _, body = chunk.partition("\n")
        found[title.strip()] = body
    return found


def precompute(src: Path, out: Path) -> tuple[float, list[str]]:
    """Copy ``src`` to ``out``; views still views become sorted tables, and tables that sql/
    already materializes are sorted by (practice, date). Returns (seconds, sections run)."""
    for suffix in ("", ".wal"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, out)
    con = duckdb.connect(str(out))
    try:
        kinds = dict(con.sql(
            "select table_name, table_type from information_schema.tables"
        ).fetchall())
        start = time.perf_counter()
        done = []
        con.execute("begin transaction")
        for name, body in sections().items():
            target = name.removeprefix("sorted ")
            wanted = "BASE TABLE" if name.startswith("sorted ") else "VIEW"
            if kinds.get(target) == wanted:
                con.execute(body)
                done.append(name)
        con.execute("commit")
        con.execute("checkpoint")
        return time.perf_counter() - start, done
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
    seconds, done = precompute(args.src, args.out)
    differences = None
    if not args.no_compare:
        practices = [None, args.practice] if args.practice else [None]
        differences = compare(args.src, args.out, practices)
    print(json.dumps({"precompute_s": round(seconds, 2), "views": len(metrics.view_names()),
                      "materialized": done,
                      "differences": differences,
                      "db_mb": round(args.out.stat().st_size / 1e6, 1),
                      "src_mb": round(args.src.stat().st_size / 1e6, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
