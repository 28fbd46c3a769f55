"""Benchmark sides, one per process: `python bench/sides.py SIDE ARGS...` prints one JSON line.

Sides:
  floor DATA DB      DuckDB's own CREATE TABLE AS SELECT * FROM read_csv(...), no validation
  pandas DATA DB     pandas.read_csv + insert into DuckDB (what a user would otherwise pick)
  caseboard DATA DB  caseboard's validated, typed, deduplicated ingest (pipelines.ingest)
The parent (bench/measure.py) measures wall time and peak memory of the process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from pipelines.schema import TABLES

READABLE = (".csv", ".txt", ".parquet")


def export_files(data: Path) -> dict[str, list[Path]]:
    """The export's files per standard table (a folder, searched recursively)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(data.rglob("*")):
        if path.is_file() and path.suffix.lower() in READABLE and path.stem.lower() in TABLES:
            found.setdefault(path.stem.lower(), []).append(path)
    return found


def _row_counts(con: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        counts[table] = con.table(table).count("*").fetchall()[0][0]
    return counts


def side_floor(data: Path, db: Path) -> dict:
    """The floor: DuckDB reads every file with auto-detection, creates a table, no checks."""
    files = export_files(data)
    con = duckdb.connect(str(db))
    try:
        for table, paths in files.items():
            names = [str(p) for p in paths]
            if paths[0].suffix.lower() == ".parquet":
                rel = con.read_parquet(names, union_by_name=True)
            else:
                rel = con.read_csv(names, union_by_name=True)
            rel.create(table)
        con.execute("checkpoint")
        return {"rows": _row_counts(con, list(files))}
    finally:
        con.close()


def side_pandas(data: Path, db: Path) -> dict:
    """pandas.read_csv of each file (default inference), then insert into DuckDB."""
    import pandas as pd

    files = export_files(data)
    con = duckdb.connect(str(db))
    try:
        for table, paths in files.items():
            frames = [
                pd.read_parquet(p) if p.suffix.lower() == ".parquet" else pd.read_csv(p)
                for p in paths
            ]
            frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
            del frames
            con.from_df(frame).create(table)
            del frame
        con.execute("checkpoint")
        return {"rows": _row_counts(con, list(files))}
    finally:
        con.close()


def _summary_dict(summary: object) -> dict:
    if summary is None:
        return {}
    if isinstance(summary, dict):
        return summary
    for name in ("to_json", "as_json", "to_dict", "as_dict"):
        method = getattr(summary, name, None)
        if callable(method):
            value = method()
            return json.loads(value) if isinstance(value, str) else value
    import dataclasses

    if dataclasses.is_dataclass(summary):
        return json.loads(json.dumps(dataclasses.asdict(summary), default=str))
    return {"repr": repr(summary)[:2000]}


# The parts of a write that the floor has no counterpart for, timed inside caseboard's side.
WRITE_PHASES = ("build_views", "precompute_pages")


def _clock_phases(phases: dict[str, dict[str, float]]) -> None:
    """Time the write phases of caseboard.publish (wall and process CPU seconds)."""
    from caseboard import publish

    for name in WRITE_PHASES:
        real = getattr(publish, name)

        def timed(*args, _real=real, _name=name, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return _real(*args, **kwargs)
            finally:
                spent = phases.setdefault(_name, {"wall_s": 0.0, "cpu_s": 0.0})
                spent["wall_s"] += time.perf_counter() - start
                spent["cpu_s"] += time.process_time() - cpu

        setattr(publish, name, timed)


def side_caseboard(data: Path, db: Path, practice: str | None, source: str | None,
                   full: bool) -> dict:
    """caseboard's own ingest of the export (the function `caseboard ingest` calls), with the
    time its write spent building views and precomputing the pages' results."""
    from pipelines.ingest import ingest_paths

    phases: dict[str, dict[str, float]] = {}
    _clock_phases(phases)
    paths = sorted(p for p in data.iterdir()) if data.is_dir() else [data]
    kwargs: dict = {"db": db, "full": full}
    if practice is not None:
        kwargs["practice_id"] = practice
    if source is not None:
        kwargs["source_id"] = source
    summary = _summary_dict(ingest_paths(paths, **kwargs))
    tables = summary.get("tables", {})
    rows = {name: counts.get("loaded") for name, counts in tables.items()} if tables else {}
    rejects = summary.get("rejects", [])
    return {
        "rows": rows,
        "tables": tables,
        "unchanged": summary.get("unchanged"),
        "reject_count": len(rejects) if isinstance(rejects, list) else rejects,
        "reject_sample": rejects[:3] if isinstance(rejects, list) else [],
        "phases": {name: {k: round(v, 2) for k, v in spent.items()}
                   for name, spent in phases.items()},
    }


def main(argv: list[str] | None = None) -> int:
    """Run one side and print its JSON result (with its own inner wall time)."""
    parser = argparse.ArgumentParser(prog="bench/sides.py")
    parser.add_argument("side", choices=["floor", "pandas", "caseboard"])
    parser.add_argument("data", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--practice")
    parser.add_argument("--source")
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.side == "floor":
        result = side_floor(args.data, args.db)
    elif args.side == "pandas":
        result = side_pandas(args.data, args.db)
    else:
        result = side_caseboard(args.data, args.db, args.practice, args.source, args.full)
    result["inner_s"] = round(time.perf_counter() - start, 3)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
