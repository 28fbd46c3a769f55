"""Prototype: filter one practice where the rows are read, not after every join and window.

The marts filter by practice at the end (``p.practice_id is null or x.practice_id
= p.practice_id`` with ``p`` from int_params), so a one-practice page computes the
whole group first. This prototype, on a copy of a database, adds the same
filter inside int_diagnosed_procedures and int_open_treatment, written with
``getvariable('practice_id')`` (folded to a constant when the query is bound, so
DuckDB pushes it into the table scan and skips row groups by their min/max).
The patched view text is the project's own sql/intermediate file plus one line.

`python bench/pushdown.py SRC_DB OUT_DB --practice ID` prints one JSON line with
whether every mart view still gives identical rows (all practices and ID).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import duckdb
from precompute import compare

from caseboard import storage
from caseboard.settings import SQL_DIR

FILTER = "(getvariable('practice_id') is null or pr.practice_id = getvariable('practice_id'))"
PATCHES = {
    "int_diagnosed_procedures": (
        "and (p.all_codes or pr.counts_in_acceptance)",
        f"and (p.all_codes or pr.counts_in_acceptance)\n        and {FILTER}",
    ),
    "int_open_treatment": (
        "and pr.diagnosed_date <= p.as_of",
        f"and pr.diagnosed_date <= p.as_of\n    and {FILTER}",
    ),
}


def patched_sql(view: str) -> str | None:
    """The view's sql/intermediate text with the practice filter added where rows are read;
    None when sql/ already filters there (or the line to patch is gone)."""
    text = (SQL_DIR / "intermediate" / f"{view}.sql").read_text()
    marker, replacement = PATCHES[view]
    if "getvariable('practice_id')" in text or text.count(marker) != 1:
        return None
    return text.replace(marker, replacement)


def pushdown(src: Path, out: Path, rebuild: bool = False, patch: bool = True) -> list[str]:
    """Copy ``src`` to ``out``; optionally rebuild every view from today's sql/ first (when
    the database was built by older SQL), then replace the views by their patched text.
    Returns the views patched."""
    for suffix in ("", ".wal"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, out)
    con = duckdb.connect(str(out))
    try:
        if rebuild:
            storage.build_views(con)
        patched = []
        for view in PATCHES if patch else ():
            text = patched_sql(view)
            if text is not None:
                con.execute(text)
                patched.append(view)
        con.execute("checkpoint")
        return patched
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    """Patch a copy, compare every mart view, print a JSON line."""
    parser = argparse.ArgumentParser(prog="bench/pushdown.py")
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--practice", required=True)
    parser.add_argument("--no-compare", action="store_true")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild every view from today's sql/ on the copy first")
    parser.add_argument("--no-patch", action="store_true", help="only copy (and rebuild)")
    args = parser.parse_args(argv)
    patched = pushdown(args.src, args.out, args.rebuild, not args.no_patch)
    differences = None if args.no_compare else compare(args.src, args.out, [None, args.practice])
    print(json.dumps({"patched": patched, "differences": differences}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
