"""The coordinator's call list: filters and the formula-safe CSV download (pure functions)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from caseboard.privacy import csv_safe_frame, people_view

CSV_COLUMNS = {
    "patient": "Patient",
    "phone": "Phone",
    "amount": "Unscheduled amount",
    "procedure_count": "Procedures",
    "codes": "Codes",
    "providers": "Providers",
    "oldest_diagnosed_date": "Oldest diagnosis",
    "last_visit_date": "Last visit",
    "next_appointment": "Next appointment",
    "declined_amount": "Declined amount",
}


# The call list's orders: ranked for workability (metric_call_list's order) or by amount.
ORDERS = {"Workability": None, "Amount": "amount"}


def provider_names(worklist: pl.DataFrame) -> list[str]:
    """Every provider named in the worklist's comma-joined 'providers' column, sorted."""
    names: set[str] = set()
    for value in worklist["providers"].drop_nulls().to_list():
        names.update(part.strip() for part in value.split(",") if part.strip())
    return sorted(names)


def filter_worklist(
    worklist: pl.DataFrame,
    as_of: date,
    min_amount: float = 0.0,
    min_age_days: int = 0,
    providers: list[str] | None = None,
    include_declined_only: bool = False,
    hide_booked: bool = False,
    order: str = "Amount",
) -> pl.DataFrame:
    """Rows with at least ``min_amount`` unscheduled, oldest diagnosis at least ``min_age_days``
    before ``as_of``, and (if given) one of ``providers``; ``hide_booked`` drops patients with a
    future appointment. Sorted by amount, largest first, or (order 'Workability') kept in the
    view's workability order."""
    rows = worklist
    if not include_declined_only:
        rows = rows.filter(pl.col("amount") > 0)
    rows = rows.filter(pl.col("amount").cast(pl.Float64) >= min_amount)
    if min_age_days > 0:
        rows = rows.filter(pl.col("oldest_diagnosed_date") <= as_of - timedelta(days=min_age_days))
    if providers:
        wanted = set(providers)
        keep = [bool(wanted & {p.strip() for p in (value or "").split(",")})
                for value in rows["providers"].to_list()]
        rows = rows.filter(pl.Series(keep, dtype=pl.Boolean))
    if hide_booked:
        rows = rows.filter(~pl.col("has_future_appointment"))
    if ORDERS[order] is None:
        return rows
    return rows.sort("amount", descending=True, maintain_order=True)


def call_list_csv(worklist: pl.DataFrame, deidentify: bool) -> bytes:
    """The call list as CSV bytes: names (or initials), phones (or masked), formula-safe cells."""
    frame = people_view(worklist, deidentify).select(list(CSV_COLUMNS))
    frame = frame.with_columns(pl.col("amount", "declined_amount").cast(pl.Float64).round(2))
    return csv_safe_frame(frame.rename(CSV_COLUMNS)).write_csv().encode("utf-8")


FOLLOWUP_COLUMNS = {"last_contact_date": pl.Date, "last_outcome": pl.Utf8,
                    "next_contact_date": pl.Date, "due": pl.Boolean}


def latest_contacts(log: pl.DataFrame) -> pl.DataFrame:
    """Each patient's latest recorded contact (by contact date, then the order recorded):
    source_id, patient_id, last_contact_date, last_outcome, next_contact_date."""
    return (
        log.sort("contact_date", "followup_id")
        .group_by("source_id", "patient_id", maintain_order=True).last()
        .select("source_id", "patient_id",
                pl.col("contact_date").alias("last_contact_date"),
                pl.col("outcome").alias("last_outcome"), "next_contact_date")
    )


def with_followups(worklist: pl.DataFrame, log: pl.DataFrame | None, today: date,
                   due_first: bool = False) -> pl.DataFrame:
    """The call list with each patient's last contact, outcome and next-contact date, and
    ``due`` (a next-contact date on or before ``today``); due patients first (earliest
    date first) when ``due_first``, else the list's own order."""
    if log is None or log.height == 0:
        rows = worklist.with_columns(pl.lit(None, dtype=t).alias(c)
                                     for c, t in FOLLOWUP_COLUMNS.items())
    else:
        rows = worklist.join(latest_contacts(log), on=["source_id", "patient_id"], how="left",
                             maintain_order="left")
        rows = rows.with_columns(
            pl.col("next_contact_date").le(today).fill_null(False).alias("due"))
    rows = rows.with_columns(pl.col("due").fill_null(False))
    if due_first:
        rows = rows.sort(pl.col("due").not_(), pl.col("next_contact_date"),
                         nulls_last=True, maintain_order=True)
    return rows
