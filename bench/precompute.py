"""Time the precomputed results store's rebuild, the part of every load that the pages gain from.

`python bench/precompute.py DB` copies DB next to itself, rebuilds the store on the copy
(``caseboard.precompute.rebuild``: every page's default view requests for all practices
and for each one) and prints one JSON line: seconds, CPU seconds, entries, stored rows.
tests/sql/test_precompute.py proves that every stored result equals its view run live.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import duckdb

from caseboard import precompute


def rebuild_copy(src: Path, copy: Path) -> dict:
    """Rebuild the store on a copy of ``src``; its cost and size."""
    shutil.copyfile(src, copy)
    con = duckdb.connect(str(copy))
    try:
        start, cpu = time.perf_counter(), time.process_time()
        entries = precompute.rebuild(con)
        seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
        ((stored_rows,),) = con.sql(
            "select coalesce(sum(row_count), 0) from precomputed_results"
        ).fetchall()
        scopes = len(precompute.scopes(con))
    finally:
        con.close()
        copy.unlink(missing_ok=True)
    return {"seconds": round(seconds, 2), "cpu_s": round(cpu_s, 2), "entries": entries,
            "scopes": scopes, "stored_rows": int(stored_rows)}


def main(argv: list[str] | None = None) -> int:
    """Rebuild the store on a copy of the database; print one JSON line."""
    parser = argparse.ArgumentParser(prog="bench/precompute.py")
    parser.add_argument("db", type=Path)
    args = parser.parse_args(argv)
    copy = args.db.with_name(args.db.name + ".precompute-copy")
    print(json.dumps(rebuild_copy(args.db, copy)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
