"""Make a weekly export from a big one: every row dated in the last N days, plus what it refers to.

Expects the plain flavour of `caseboard sample --practices N` (N > 1): UTF-8,
commas, the schema's own column names. A practice's weekly export overlaps the
previous one; here it holds every row with any of its dates within ``days`` of
the export's newest event date (future appointment dates left out), the
patients, plans and team members those rows refer to, and patients whose
first visit is in the window. Cells are copied as text, untouched, so the
weekly files are in exactly the big export's formats.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path

import polars as pl

from pipelines.schema import TABLES, Kind

FUTURE_DATES = ("start", "appointment_date", "booked_at")
TABLE_ORDER = ("procedures", "appointments", "payments", "adjustments", "claims",
               "treatment_plans", "patients", "team")


def _as_date(column: str) -> pl.Expr:
    text = pl.col(column).str.strip_chars()
    return pl.coalesce(
        text.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        text.str.strptime(pl.Date, "%m/%d/%Y", strict=False),
    )


def _date_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table].columns if c.kind in (Kind.DATE, Kind.DATETIME)
            and c.name != "birth_date"]


def _scan(path: Path) -> pl.LazyFrame:
    return pl.scan_csv(path, infer_schema=False)


def make_weekly(data: Path, out: Path, days: int = 90) -> dict:
    """Write the weekly export of ``data`` to ``out``; return rows per table and the cutoff."""
    files = {p.stem: p for p in data.iterdir() if p.suffix == ".csv" and p.stem in TABLES}
    newest = None
    for table, path in files.items():
        columns = [c for c in _date_columns(table) if c not in FUTURE_DATES]
        if not columns:
            continue
        value = _scan(path).select(pl.max_horizontal([_as_date(c) for c in columns]).max())
        found = value.collect().item()
        if found is not None and (newest is None or found > newest):
            newest = found
    cutoff = newest - timedelta(days=days)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    wanted: dict[str, set[str]] = {"patients": set(), "treatment_plans": set(), "team": set()}
    for table in TABLE_ORDER:
        if table not in files:
            continue
        frame = _scan(files[table])
        spec = TABLES[table]
        dated = [_as_date(c) >= cutoff for c in _date_columns(table)]
        recent = pl.any_horizontal(dated) if dated else pl.lit(False)
        if table in wanted:
            keys = list(wanted[table])
            recent = recent | pl.col(spec.key).is_in(pl.Series(keys, dtype=pl.Utf8).implode())
        rows = frame.filter(recent.fill_null(False)).collect()
        for column, target in spec.references.items():
            if column in rows.columns and target in wanted:
                wanted[target].update(rows[column].drop_nulls().to_list())
        rows.write_csv(out / files[table].name)
        counts[table] = rows.height
    return {"cutoff": cutoff.isoformat(), "newest": newest.isoformat(), "rows": counts}


def main() -> None:
    """Command line: weekly.py DATA OUT [--days 90]."""
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=90)
    args = parser.parse_args()
    print(json.dumps(make_weekly(args.data, args.out, args.days)))


if __name__ == "__main__":
    main()
