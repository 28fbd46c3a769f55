"""The precomputed results store: view rows saved at load time, keyed by their parameters.

``precomputed_results`` lists what is stored, one row per (view, params key); the rows
themselves live in ``precomputed.<view>``, a table with the view's own column types plus
``params_key`` and ``row_no`` (the view's row order), sorted by key so a lookup reads only
its rows. A hit therefore gives back the frame the view returned, dtypes and order
included. What gets stored is decided in ``caseboard.precompute``; the store is rebuilt
on every write, so it can never describe data other than the file it lives in.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from typing import Any

import duckdb
import polars as pl

from caseboard.settings import query_text

KEY, ROW = "params_key", "row_no"
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def params_key(resolved: Any) -> str:
    """The canonical text of fully resolved metric parameters (a dataclass)."""
    return json.dumps(dataclasses.asdict(resolved), default=str, sort_keys=True)


def _table(view: str) -> str:
    """The store's table of one mart view (a plain identifier: views are whitelisted names)."""
    if not IDENTIFIER.fullmatch(view):
        raise ValueError(f"not a view name: {view!r}")
    return f"precomputed.{view}"


def lookup(con: duckdb.DuckDBPyConnection,
           requests: list[tuple[str, str]]) -> dict[tuple[str, str], pl.DataFrame]:
    """The stored rows of those (view, params key) requests that were precomputed."""
    found: dict[tuple[str, str], pl.DataFrame] = {}
    for view, keys in _stored_keys(con, requests).items():
        if len(keys) == 1:
            found[(view, keys[0])] = con.sql(
                f"select * exclude ({KEY}, {ROW}) from {_table(view)}"  # noqa: S608
                f" where {KEY} = $key", params={"key": keys[0]}).pl()
            continue
        rows = _stacked_rows(con, view, keys)
        parts = rows.partition_by(KEY, maintain_order=True, include_key=False, as_dict=True)
        empty = rows.clear().drop(KEY)
        for key in keys:
            found[(view, key)] = parts.get((key,), empty)
    return found


def lookup_stacked(con: duckdb.DuckDBPyConnection, view: str,
                   keys: list[str]) -> pl.DataFrame | None:
    """The stored rows of one view for several params keys in one frame, each row with its
    ``params_key`` (rows of a key in the view's order); None unless every key is stored."""
    wanted = sorted(set(keys))
    stored = _stored_keys(con, [(view, key) for key in wanted]).get(view, [])
    return _stacked_rows(con, view, wanted) if len(stored) == len(wanted) else None


def _stored_keys(con: duckdb.DuckDBPyConnection,
                 requests: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Per view, the keys of ``requests`` that the store holds (one read of the index)."""
    if not requests:
        return {}
    wanted = set(requests)
    try:
        listed = con.execute(query_text("precomputed_lookup_many"), {
            "view_names": sorted({view for view, _ in wanted}),
            "params_keys": sorted({key for _, key in wanted}),
        }).fetchall()
    except duckdb.CatalogException:
        return {}
    keys_by_view: dict[str, list[str]] = defaultdict(list)
    for view, key in listed:
        if (view, key) in wanted:
            keys_by_view[view].append(key)
    return keys_by_view


def _stacked_rows(con: duckdb.DuckDBPyConnection, view: str, keys: list[str]) -> pl.DataFrame:
    # A plain filter keeps the table's order (sorted by key and row when written) under
    # DuckDB's preserve_insertion_order; an ORDER BY here costs more than the read.
    return con.sql(f"select * exclude ({ROW}) from {_table(view)}"  # noqa: S608
                   f" where list_contains($keys, {KEY})", params={"keys": keys}).pl()


def replace_all(con: duckdb.DuckDBPyConnection,
                entries: dict[tuple[str, str], pl.DataFrame]) -> None:
    """Empty the store and save ``entries`` ((view, params key) -> the view's rows)."""
    reset(con)
    append(con, entries, set())


def reset(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the store."""
    con.execute(query_text("precomputed_reset"))


def append(con: duckdb.DuckDBPyConnection, entries: dict[tuple[str, str], pl.DataFrame],
           created: set[str]) -> None:
    """Add ``entries`` (new keys) to the store; ``created`` names the views whose tables this
    rebuild made already, and is updated."""
    for view, frames in _by_view(entries).items():
        into = f"insert into {_table(view)} by name" if view in created else (
            f"create table {_table(view)} as")
        _write(con, frames, into)
        created.add(view)
    _index(con, entries)


def replace_some(con: duckdb.DuckDBPyConnection,
                 entries: dict[tuple[str, str], pl.DataFrame]) -> None:
    """Overwrite the stored rows of the (view, params key) entries given; keep the rest."""
    if not entries:
        return
    con.execute(query_text("precomputed_delete"), {
        "view_names": [view for view, _ in entries],
        "params_keys": [key for _, key in entries],
    })
    for view, frames in _by_view(entries).items():
        con.execute(f"delete from {_table(view)} where list_contains($keys, {KEY})",  # noqa: S608
                    {"keys": list(frames)})
        _write(con, frames, f"insert into {_table(view)} by name")
    _index(con, entries)


def compact(con: duckdb.DuckDBPyConnection, views: set[str]) -> None:
    """Rewrite the index and each view's table sorted by key and row (a rebuild appends them
    scope by scope), so a lookup's filter reads few row groups."""
    con.execute(query_text("precomputed_index_compact"))
    for view in sorted(views):
        con.execute(f"create or replace table {_table(view)} as select * from {_table(view)}"  # noqa: S608
                    f" order by {KEY}, {ROW}")


def _by_view(entries: dict[tuple[str, str], pl.DataFrame]) -> dict[str, dict[str, pl.DataFrame]]:
    by_view: dict[str, dict[str, pl.DataFrame]] = defaultdict(dict)
    for (view, key), frame in entries.items():
        by_view[view][key] = frame
    return by_view


def _write(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], into: str) -> None:
    """Write one view's frames, sorted by key and row, with ``into`` (create ... as / insert)."""
    con.register("precomputed_rows", _batch(frames))
    try:
        con.execute(f"{into} select * from precomputed_rows order by {KEY}, {ROW}")  # noqa: S608
    finally:
        con.unregister("precomputed_rows")


def _batch(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return pl.concat([
        frame.with_columns(pl.lit(key).alias(KEY), pl.int_range(pl.len(), dtype=pl.Int32)
                           .alias(ROW)).select(KEY, ROW, *frame.columns)
        for key, frame in frames.items()
    ], how="vertical")


def _index(con: duckdb.DuckDBPyConnection, entries: dict[tuple[str, str], pl.DataFrame]) -> None:
    if not entries:
        return
    batch = pl.DataFrame(
        {"view_name": [view for view, _ in entries], "params_key": [key for _, key in entries],
         "row_count": [frame.height for frame in entries.values()]},
        schema={"view_name": pl.Utf8, "params_key": pl.Utf8, "row_count": pl.Int64},
    )
    con.register("precomputed_batch", batch)
    try:
        con.execute(query_text("precomputed_index_insert"))
    finally:
        con.unregister("precomputed_batch")
