"""Cut a smaller export out of a big one: the first N practices' rows of every table.

`python bench/subset.py DATA OUT --practices N` (plain flavour, practice_id column).
Used to profile the ingest at a fraction of the full size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import polars as pl


def subset(data: Path, out: Path, practices: int) -> dict[str, int]:
    """Write the first ``practices`` practices (in id order) of ``data`` to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    keep = (pl.scan_csv(data / "patients.csv", infer_schema=False)
            .select(pl.col("practice_id").unique().sort()).collect()
            .get_column("practice_id").head(practices))
    counts = {}
    for path in sorted(data.glob("*.csv")):
        rows = (pl.scan_csv(path, infer_schema=False)
                .filter(pl.col("practice_id").is_in(keep.implode())).collect())
        rows.write_csv(out / path.name)
        counts[path.stem] = rows.height
    return counts


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--practices", type=int, default=10)
    args = parser.parse_args()
    print(subset(args.data, args.out, args.practices))


if __name__ == "__main__":
    main()
