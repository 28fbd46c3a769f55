"""Profile: time every mart view (the queries behind the pages) on a database.

`python bench/views.py DB [--practice ID|all] [--runs N]` prints each view's
median milliseconds, slowest first, and the cost of setting the parameters.
Used to find which query makes a page miss its target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import duckdb

from caseboard import metrics


def time_views(db: Path, practice: str | None, runs: int) -> dict:
    """Median wall and CPU ms per view (parameters applied once), and of apply_params."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        params = metrics.apply_params(con, metrics.MetricParams(practice_id=practice))
        setting = []
        for _ in range(runs):
            start = time.perf_counter()
            metrics.apply_params(con, params)
            setting.append((time.perf_counter() - start) * 1000)
        views = {}
        for view in sorted(metrics.view_names()):
            times, cpu = [], []
            rows = None
            for _ in range(runs):
                start, used = time.perf_counter(), time.process_time()
                try:
                    frame = metrics.query_view(con, view)
                except duckdb.Error as error:
                    views[view] = {"error": str(error).splitlines()[0][:200]}
                    break
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - used) * 1000)
                rows = frame.height
            if times:
                views[view] = {"median_ms": round(statistics.median(times), 1),
                               "cpu_ms": round(statistics.median(cpu), 1), "rows": rows}
        return {"apply_params_ms": round(statistics.median(setting), 1), "views": views}
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """Print every view's median time, slowest first, and a JSON line."""
    parser = argparse.ArgumentParser(prog="bench/views.py")
    parser.add_argument("db", type=Path)
    parser.add_argument("--practice", default="all")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    result = time_views(args.db, None if args.practice == "all" else args.practice, args.runs)
    ranked = sorted(result["views"].items(), key=lambda kv: -kv[1].get("median_ms", 0))
    for view, stats in ranked:
        print(f"{view:<40} {stats.get('median_ms', 'error'):>10} ms  {stats}", file=sys.stderr)
    print(f"apply_params: {result['apply_params_ms']} ms", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
