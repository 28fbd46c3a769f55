"""Practices asked for by id or by name (e.g. an Open Dental clinic's abbreviation).

One resolver for every front-end: ``caseboard metrics``, ``report``,
``reconcile`` and the dashboard's practice selector.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from caseboard.settings import query_text


class UnknownPractice(ValueError):  # noqa: N818 - reads as what was asked for
    """A practice id or name that matches no loaded practice (the message lists them)."""


@dataclass(frozen=True)
class Practice:
    """A loaded practice: its id and the name its source gives it, if any."""

    practice_id: str
    name: str | None

    @property
    def label(self) -> str:
        """How a person sees it: ``DTWN (1)``, or the id alone when it has no name."""
        if not self.name or self.name == self.practice_id:
            return self.practice_id
        return f"{self.name} ({self.practice_id})"


def known_practices(con: duckdb.DuckDBPyConnection) -> list[Practice]:
    """Every loaded practice with its name, by id."""
    try:
        rows = con.sql(query_text("practices")).fetchall()
    except duckdb.CatalogException:  # written before practice_names existed
        rows = con.sql(query_text("practices_unnamed")).fetchall()
    return [Practice(pid, name) for pid, name in rows]


def resolve_practice(con: duckdb.DuckDBPyConnection, asked: str | None) -> str | None:
    """The practice id for an id or a name (case-insensitive); None for all practices.

    Raises UnknownPractice naming the known practices when nothing, or more
    than one practice, matches.
    """
    if asked is None:
        return None
    practices = known_practices(con)
    if any(p.practice_id == asked for p in practices):
        return asked
    wanted = asked.strip().casefold()
    matches = [
        p for p in practices
        if p.practice_id.casefold() == wanted
        or (p.name is not None and wanted in {n.strip().casefold() for n in p.name.split(" / ")})
    ]
    if len(matches) == 1:
        return matches[0].practice_id
    known = ", ".join(p.label for p in practices) or "none (nothing is loaded)"
    if matches:
        raise UnknownPractice(
            f"practice {asked!r} is ambiguous: it names {', '.join(p.label for p in matches)}; "
            "give the id"
        )
    raise UnknownPractice(f"no practice {asked!r}; known practices: {known}")
