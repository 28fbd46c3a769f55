"""The coordinator's follow-up log (spec section 10): check, record, list, export, import.

Entries live in the entries file (``caseboard.entries``), never in the loaded data.
Errors name the file, row, column and what was expected, never a note's text.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from caseboard.entries import read_entries, write_entries
from caseboard.privacy import FORMULA_PREFIXES, csv_safe_cell
from caseboard.settings import SQL_DIR
from caseboard.storage import DatabaseMissing, read_connection

OUTCOMES = ("reached", "left_message", "no_answer", "scheduled", "declined", "wrong_number")
REASONS = ("cost", "insurance", "timing", "fear", "second_opinion", "other")
CSV_COLUMNS = ("practice_id", "patient_id", "contact_date", "outcome", "reason",
               "next_contact_date", "note", "team_member_id")
OUTCOME_LABELS = {"reached": "Reached", "left_message": "Left message",
                  "no_answer": "No answer", "scheduled": "Scheduled", "declined": "Declined",
                  "wrong_number": "Wrong number"}
REASON_LABELS = {"cost": "Cost", "insurance": "Insurance", "timing": "Timing", "fear": "Fear",
                 "second_opinion": "Second opinion", "other": "Other"}
GONE = "no longer in the practice data"
SOURCE_COLUMN = "source"
NOTE_LIMIT = 500
# The mart views that read the log: never precomputed (an entry does not rebuild the
# store), so they are always read with stored=False.
VIEWS = ("metric_followup_monthly", "metric_followup_latest", "metric_followup_overdue",
         "metric_followup_reasons", "metric_followup_goal_progress")
# Goal metrics read from metric_followup_goal_progress (metric_goal_progress says 'no data').
GOAL_METRICS = ("followup_contacts", "followup_patients", "followup_speed",
                "followup_recovered", "followup_overdue")


class FollowupError(ValueError):
    """Contacts refused: every problem as 'file, row N, column C: what was expected'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Contact:
    """One contact with a patient, as the coordinator records it."""

    source_id: str
    practice_id: str
    patient_id: str
    contact_date: date
    outcome: str
    reason: str | None = None
    next_contact_date: date | None = None
    note: str | None = None
    team_member_id: str | None = None

    def values(self) -> list:
        """The insert parameters, in sql/queries/followup_insert.sql's order."""
        return [getattr(self, f.name) for f in fields(self)]


def outcome_label(outcome: str | None) -> str | None:
    """'Left message' for 'left_message' (None stays None)."""
    return None if outcome is None else OUTCOME_LABELS.get(outcome, outcome)


def merge_goal_progress(progress: pl.DataFrame | None,
                        followup_progress: pl.DataFrame | None) -> pl.DataFrame | None:
    """Goal progress with the follow-up goals' rows taken from their own view, goal order."""
    if progress is None or followup_progress is None or followup_progress.height == 0:
        return progress
    kept = progress.filter(~pl.col("metric").is_in(GOAL_METRICS))
    return pl.concat([kept, followup_progress.select(progress.columns)],
                     how="vertical_relaxed").sort("goal_id")


def _sql(name: str) -> str:
    return (SQL_DIR / "queries" / f"{name}.sql").read_text()


def problems(contact: Contact) -> list[tuple[str, str]]:
    """(column, what was expected) for everything wrong with ``contact``; empty when valid."""
    found = []
    for column in ("practice_id", "patient_id"):
        if not (getattr(contact, column) or "").strip():
            found.append((column, "a value is required"))
    if contact.outcome not in OUTCOMES:
        found.append(("outcome", f"one of {', '.join(OUTCOMES)}"))
    if contact.reason is not None and contact.reason not in REASONS:
        found.append(("reason", f"empty or one of {', '.join(REASONS)}"))
    elif contact.outcome == "declined" and contact.reason is None:
        found.append(("reason", "a reason is required when the outcome is declined"))
    elif contact.outcome != "declined" and contact.reason is not None:
        found.append(("reason", "a reason only goes with the outcome declined"))
    if contact.next_contact_date is not None and contact.next_contact_date < contact.contact_date:
        found.append(("next_contact_date", "a date on or after the contact date"))
    if contact.note is not None and len(contact.note) > NOTE_LIMIT:
        found.append(("note", f"at most {NOTE_LIMIT} characters"))
    return found


def record(db: str | os.PathLike[str] | None, contacts: list[Contact]) -> int:
    """Add contacts to the log in one write (all or none); return how many were new."""
    refused = [f"contact {i + 1}, column {column}: {why}"
               for i, contact in enumerate(contacts) for column, why in problems(contact)]
    if refused:
        raise FollowupError(refused)
    with write_entries(db) as con:
        (before,) = con.execute("select count(*) from followups").fetchone()
        for contact in contacts:
            con.execute(_sql("followup_insert"), contact.values())
        (after,) = con.execute("select count(*) from followups").fetchone()
    return after - before


def read_log(db: str | os.PathLike[str] | None) -> pl.DataFrame:
    """Every entry of the log (ids, patient references, contact fields, when recorded)."""
    with read_entries(db) as con:
        return con.sql(_sql("followup_log")).pl()


def _loaded_sources(db: str | os.PathLike[str] | None) -> pl.DataFrame | None:
    try:
        with read_connection(db) as con:
            return con.sql(_sql("followup_sources")).pl()
    except (DatabaseMissing, duckdb.CatalogException):
        return None


@dataclass(frozen=True)
class Sources:
    """Which source holds each (practice, patient) of the loaded data (removed ones too)."""

    by_patient: dict[tuple[str, str], frozenset[str]]

    @classmethod
    def of(cls, db: str | os.PathLike[str] | None) -> Sources:
        """The sources of database ``db`` (none when nothing is loaded)."""
        loaded = _loaded_sources(db)
        found: dict[tuple[str, str], set[str]] = {}
        for source, practice, patient in ([] if loaded is None else loaded.iter_rows()):
            found.setdefault((practice, patient), set()).add(source)
        return cls({key: frozenset(value) for key, value in found.items()})

    def resolve(self, practice_id: str, patient_id: str, source: str | None) -> str:
        """The given source, else the patient's only source, else the only source loaded."""
        if source:
            return source
        held = self.by_patient.get((practice_id, patient_id), frozenset())
        every = {s for value in self.by_patient.values() for s in value}
        if len(held) == 1:
            return next(iter(held))
        if not held and len(every) == 1:
            return next(iter(every))
        where = "in several sources" if held else "not in the loaded data"
        raise FollowupError([f"the patient's source is needed (the patient is {where})"])


def export_csv(db: str | os.PathLike[str] | None) -> str:
    """The log as CSV text (spec section 10's columns; ``source`` last when several sources
    are loaded or logged); text cells are formula-safe and undone again by ``import``."""
    log = read_log(db)
    loaded = _loaded_sources(db)
    sources = set(log["source_id"].to_list())
    if loaded is not None:
        sources |= set(loaded["source_id"].to_list())
    columns = list(CSV_COLUMNS) + ([SOURCE_COLUMN] if len(sources) > 1 else [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in log.iter_rows(named=True):
        row[SOURCE_COLUMN] = row["source_id"]
        writer.writerow(["" if row[c] is None else csv_safe_cell(str(row[c])) for c in columns])
    return out.getvalue()


def _unsafe(value: str) -> str:
    """Undo ``csv_safe_cell``: a quote before a formula character came from an export."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _date(text: str) -> date:
    """A YYYY-MM-DD date (ValueError otherwise)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_csv(path: Path, db: str | os.PathLike[str] | None) -> list[Contact]:
    """Read an exported log; raise FollowupError naming file, row and column of every bad row."""
    name = path.name
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise FollowupError([f"{name}, row 1 (header), column {missing[0]}: the header must "
                                 f"name {', '.join(CSV_COLUMNS)}"])
        rows = list(reader)
    sources = Sources.of(db)
    contacts, refused = [], []
    for number, row in enumerate(rows, start=2):
        cells = {k: _unsafe(v or "" if k == "note" else (v or "").strip())
                 for k, v in row.items() if k is not None}

        def bad(column: str, why: str, number: int = number) -> None:
            refused.append(f"{name}, row {number}, column {column}: {why}")

        dates = {}
        for column in ("contact_date", "next_contact_date"):
            text = cells.get(column, "")
            try:
                dates[column] = _date(text) if text else None
            except ValueError:
                bad(column, f"a date YYYY-MM-DD, got {text[:20]!r}")
                dates[column] = date.min
        if dates["contact_date"] is None:
            bad("contact_date", "a date YYYY-MM-DD is required")
            continue
        try:
            source = sources.resolve(cells["practice_id"], cells["patient_id"],
                                     cells.get(SOURCE_COLUMN) or None)
        except FollowupError as error:
            bad(SOURCE_COLUMN, error.problems[0])
            continue
        reason = cells.get("reason", "").replace(" ", "_").lower() or None
        contact = Contact(source, cells["practice_id"], cells["patient_id"],
                          dates["contact_date"], cells.get("outcome", ""), reason,
                          dates["next_contact_date"], cells.get("note") or None,
                          cells.get("team_member_id") or None)
        if date.min in dates.values():
            continue
        for column, why in problems(contact):
            bad(column, why)
        contacts.append(contact)
    if refused:
        raise FollowupError(refused)
    return contacts


def import_csv(path: str | os.PathLike[str], db: str | os.PathLike[str] | None) -> int:
    """Add every row of an exported log (all or none); rows already there are skipped."""
    return record(db, parse_csv(Path(path), db))
