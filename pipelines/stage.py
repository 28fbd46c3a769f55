"""A staging database: an export's typed rows on disk while it is read, not in Python memory.

The standard reader appends each validated batch here; the loader attaches the
file to its working copy and runs the reference checks and the upsert in SQL
(pipelines/sql/raw_<table>.sql). A stage holds one table per standard table
(every one, empty when the export lacks it) with the spec's columns in order,
typed for loading, plus ``__row`` (spreadsheet row number, or NULL).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from caseboard import tempfiles
from pipelines.schema import LOAD_DTYPES, TABLES

ROW = "__row"
STAGE_SETTINGS = (Path(__file__).resolve().parent / "sql" / "stage_settings.sql").read_text()


class Stage:
    """A temporary DuckDB file of typed rows per table, filled batch by batch."""

    def __init__(self, path: Path):
        self.path = path
        self.present: set[str] = set()
        """Tables the export had (a file, even header-only, or a frame)."""
        self.practices: set[str] = set()
        self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(str(path))
        self._con.execute(STAGE_SETTINGS)

    def append(self, table: str, frame: pl.DataFrame) -> None:
        """Append typed rows (the spec's columns, conformed, then ``__row``) to ``table``."""
        if self._con is None:
            raise RuntimeError("the stage is closed")
        self.practices.update(
            p for p in frame.get_column("practice_id").unique().to_list() if p is not None
        )
        relation = self._con.from_arrow(frame.to_arrow())
        if table in self.present:
            relation.insert_into(table)
        else:
            relation.create(table)
            self.present.add(table)

    def close(self) -> None:
        """Create the absent tables empty, checkpoint and close: the file is ready to attach."""
        if self._con is None:
            return
        for name, spec in TABLES.items():
            if name not in self.present:
                empty = pl.DataFrame(
                    schema={**{c.name: LOAD_DTYPES[c.kind] for c in spec.columns}, ROW: pl.Int64}
                )
                self._con.from_arrow(empty.to_arrow()).create(name)
        self._con.execute("checkpoint")
        self._con.close()
        self._con = None


PREFIX = "caseboard-stage-"
"""The name of a stage folder starts so (then the process id): see caseboard.tempfiles."""


def remove_stale_stages(folder: Path) -> None:
    """Remove temporary folders left in ``folder`` by killed loads (their process is gone)."""
    tempfiles.remove_stale(folder)


@contextlib.contextmanager
def staging(folder: str | Path | None = None) -> Iterator[Stage]:
    """A fresh Stage in a private temporary folder, removed (with the stage) at exit.

    The folder is named after this process, so a later load removes what a
    killed one left behind.
    """
    parent = Path(folder) if folder is not None else Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_stages(parent)
    with tempfiles.private_folder("stage", parent) as private:
        stage = Stage(private / "stage.duckdb")
        try:
            yield stage
        finally:
            stage.close()
