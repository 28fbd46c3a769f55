"""Publishing, one explicit pipeline: write rows -> rebuild views -> precompute -> publish.

Every write of data goes through ``publishing``: the load (``pipelines.load``, which the
dashboard's upload calls too) and the goal edit (``dashboard.data``). In order:

1. the schema's tables are ensured (``views.ensure_schema``) and the caller's block
   writes its rows into a private copy of the database (``storage.write_connection``);
2. every view is rebuilt and the materialized tables recomputed (``build_views``);
3. the pages' default results are precomputed into the results store
   (``precompute_pages``);
4. the copy is checkpointed and renamed over the published file, atomically
   (``storage.write_connection`` again).

A failure at any step, or ``storage.DiscardChanges`` raised in the block, publishes
nothing. ``storage`` knows nothing of views or the store; this module owns the order.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import duckdb

from caseboard import precompute, results_store, storage
from caseboard.views import build_views, ensure_schema


@contextlib.contextmanager
def publishing(
    db: str | os.PathLike[str] | None = None,
    timeout_s: float | None = None,
    *,
    goals_only: bool = False,
    store: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to write rows into; on success rebuild, precompute and publish.

    ``goals_only`` promises that the block changes nothing but the goals table: the
    materialized tables are kept and only the goal views' stored results recomputed.
    ``store=False`` publishes an empty results store (every read then runs the views):
    for a database that no page reads, such as a test's hand-built fixture.
    """
    with storage.write_connection(db, timeout_s) as con:
        # a writer of loaded data sees only an empty stand-in of people's entries
        # (caseboard.entries): the views bind, and no load can read or change an entry
        storage.attach_entries(con, db, stand_in=True)
        ensure_schema(con)
        yield con
        build_views(con, rematerialize=not goals_only)
        if store:
            precompute_pages(con, goals_only)
        else:
            results_store.reset(con)  # an empty store, never a stale one


def precompute_pages(con: duckdb.DuckDBPyConnection, goals_only: bool = False) -> None:
    """Save what the pages read with their defaults in the results store (caseboard.precompute)."""
    if goals_only:
        precompute.refresh(con, precompute.GOAL_VIEWS)
    else:
        precompute.rebuild(con)
