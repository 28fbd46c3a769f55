"""The precomputed results store: view rows saved at load time, keyed by their parameters.

A stored result is the exact frame the live view returned (Arrow IPC bytes), so a
hit is indistinguishable from running the view; what gets stored is decided in
``caseboard.precompute``. The store is rebuilt on every write, so it can never
describe data other than the file it lives in.
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import duckdb
import polars as pl

from caseboard.settings import SQL_DIR

QUERIES = SQL_DIR / "queries"


def query_text(name: str) -> str:
    """The text of ``sql/queries/<name>.sql``."""
    return (QUERIES / f"{name}.sql").read_text()


def params_key(resolved: Any) -> str:
    """The canonical text of fully resolved metric parameters (a dataclass)."""
    return json.dumps(dataclasses.asdict(resolved), default=str, sort_keys=True)


def encode(frame: pl.DataFrame) -> bytes:
    """A frame as Arrow IPC stream bytes (types, order and nulls kept exactly)."""
    return frame.write_ipc_stream(None).getvalue()


def decode(blob: bytes) -> pl.DataFrame:
    """The frame ``encode`` stored."""
    return pl.read_ipc_stream(io.BytesIO(blob))


def lookup(con: duckdb.DuckDBPyConnection,
           requests: list[tuple[str, str]]) -> dict[tuple[str, str], pl.DataFrame]:
    """The stored rows of those (view, params key) requests that were precomputed, in one read."""
    if not requests:
        return {}
    try:
        found = con.execute(query_text("precomputed_lookup_many"), {
            "view_names": [view for view, _ in requests],
            "params_keys": [key for _, key in requests],
        }).fetchall()
    except duckdb.CatalogException:
        return {}
    return {(view, key): decode(blob) for view, key, blob in found}


def replace_all(con: duckdb.DuckDBPyConnection, entries: dict[tuple[str, str], bytes]) -> None:
    """Empty the store and save ``entries`` ((view, params key) -> encoded rows)."""
    con.execute(query_text("precomputed_reset"))
    _insert(con, entries)


def replace_some(con: duckdb.DuckDBPyConnection, entries: dict[tuple[str, str], bytes]) -> None:
    """Overwrite the stored rows of the (view, params key) entries given; keep the rest."""
    if not entries:
        return
    con.execute(query_text("precomputed_delete"), {
        "view_names": [view for view, _ in entries],
        "params_keys": [key for _, key in entries],
    })
    _insert(con, entries)


def _insert(con: duckdb.DuckDBPyConnection, entries: dict[tuple[str, str], bytes]) -> None:
    if not entries:
        return
    batch = pl.DataFrame(
        {"view_name": [view for view, _ in entries], "params_key": [key for _, key in entries],
         "result": list(entries.values())},
        schema={"view_name": pl.Utf8, "params_key": pl.Utf8, "result": pl.Binary},
    )
    con.register("precomputed_batch", batch)
    try:
        con.execute(query_text("precomputed_insert"))
    finally:
        con.unregister("precomputed_batch")
