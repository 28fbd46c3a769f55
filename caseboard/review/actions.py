"""'Needs action this week': patients to call, claims to chase, balances to collect, goals
behind, each with a count, dollars and the page of its full list (pure functions).

The lists come from the mart views metric_call_list, metric_claims_over_30 and
metric_ar_over_90 read as of A; the CSV downloads keep the call list's rules
(names or initials, masked phones, formula-safe cells).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from caseboard.privacy import csv_safe_frame, people_view
from caseboard.review.format import money

PLACES = {
    "app_pages/unscheduled.py": "Unscheduled treatment page",
    "app_pages/collections.py": "Collections and A/R page",
    "app_pages/coordinator.py": "Coordinator page",
}
# The Unscheduled page opens on this week's calls when its address carries this.
TO_CALL_QUERY = {"list": "to-call"}
# The Collections page shows this list first when its address carries it.
CLAIMS_QUERY = {"list": "claims"}
BALANCES_QUERY = {"list": "balances"}
# A patient is worth a call this week when the unscheduled amount is at least this much.
CALL_MIN_AMOUNT = 200.0


@dataclass(frozen=True)
class ActionItem:
    """One line of the action block: what, how many, how much, and where the full list is."""

    key: str
    label: str
    count: int | None
    amount: float | None
    page: str
    note: str
    query: dict[str, str] | None = None  # query parameters that open the page on this list

    @property
    def place(self) -> str:
        """The page of the full list, in words (for the PDF)."""
        return PLACES[self.page]


def to_call(call_list: pl.DataFrame, within_days: int,
            min_amount: float = CALL_MIN_AMOUNT) -> pl.DataFrame:
    """Patients to call this week: no future appointment, at least ``min_amount``
    unscheduled, newest diagnosis at most ``within_days`` old; most recent diagnosis first."""
    return (call_list
            .filter(~pl.col("has_future_appointment"))
            .filter(pl.col("amount").cast(pl.Float64) >= min_amount)
            .filter(pl.col("days_since_diagnosis") <= within_days)
            .sort(["days_since_diagnosis", "amount"], descending=[False, True]))


def _sum(frame: pl.DataFrame | None, column: str) -> float | None:
    if frame is None:
        return None
    return float(frame[column].cast(pl.Float64).sum()) if frame.height else 0.0


def action_items(call_list: pl.DataFrame | None, claims: pl.DataFrame | None,
                 ar: pl.DataFrame | None, goals_behind: list | None, within_days: int,
                 min_amount: float = CALL_MIN_AMOUNT) -> list[ActionItem]:
    """The four items of 'Needs action this week' (a missing list gives None figures)."""
    calls = None if call_list is None else to_call(call_list, within_days, min_amount)
    return [
        ActionItem("call", "Patients to call", None if calls is None else calls.height,
                   _sum(calls, "amount"), "app_pages/unscheduled.py",
                   f"no future appointment, at least {money(min_amount)} unscheduled, "
                   f"diagnosed in the last {within_days} days", TO_CALL_QUERY),
        ActionItem("claims", "Claims to chase", None if claims is None else claims.height,
                   _sum(claims, "billed_amount"), "app_pages/collections.py",
                   "insurance claims outstanding over 30 days", CLAIMS_QUERY),
        ActionItem("ar", "Balances to collect", None if ar is None else ar.height,
                   _sum(ar, "ar_91_plus"), "app_pages/collections.py",
                   "patients with A/R over 90 days", BALANCES_QUERY),
        ActionItem("goals", "Goals behind", None if goals_behind is None else len(goals_behind),
                   None, "app_pages/coordinator.py", "goals of the reviewed period"),
    ]


CLAIM_COLUMNS = {
    "patient": "Patient", "phone": "Phone", "claim_id": "Claim", "carrier": "Carrier",
    "service_date": "Service date", "sent_date": "Sent", "billed_amount": "Billed",
    "days_out": "Days out",
}
AR_COLUMNS = {
    "patient": "Patient", "phone": "Phone", "balance": "Balance",
    "ar_91_plus": "Over 90 days", "oldest_open_charge": "Oldest open charge",
    "last_payment_date": "Last payment", "last_payment_amount": "Last payment amount",
}


def list_csv(frame: pl.DataFrame, columns: dict[str, str], deidentify: bool) -> bytes:
    """A patient list as CSV bytes: names (or initials), phones (or masked), formula-safe
    cells, amounts to cents."""
    shown = people_view(frame, deidentify).select(list(columns))
    money = [c for c, t in shown.schema.items() if isinstance(t, pl.Decimal)]
    shown = shown.with_columns(pl.col(money).cast(pl.Float64).round(2))
    return csv_safe_frame(shown.rename(columns)).write_csv().encode("utf-8")
