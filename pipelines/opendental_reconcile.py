"""Tie caseboard out to Open Dental's own reports (views sql/marts/reconcile_*.sql).

``reconcile(con, date_from, date_to, practice_id)`` returns one dict per
metric: caseboard's number, the total Open Dental's Production & Income or
New Patients report would show for the range (from the raw Open Dental rows
kept at load), the difference, and each known cause of it in words.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import duckdb

from caseboard.metrics import query_view

CENT = Decimal("0.01")

LABELS = {
    "gross_production": "Gross production (less capitation write-offs)",
    "adjustments": "Adjustments (not insurance write-offs)",
    "insurance_writeoffs": "Insurance write-offs (not capitation)",
    "patient_income": "Patient income",
    "insurance_income": "Insurance income",
    "new_patients": "New patients",
}

REPORTS = {
    "gross_production": (
        "Production & Income: production (completed procedures by ProcDate, less capitation "
        "write-offs by DateCP)"
    ),
    "adjustments": "Production & Income: adjustments (by AdjDate)",
    "insurance_writeoffs": (
        "Production & Income: write-offs (insurance pay date basis, by DateCP; capitation "
        "is in production)"
    ),
    "patient_income": "Production & Income: patient income (paysplits by DatePay, earned only)",
    "insurance_income": "Production & Income: insurance income (claim payments by DateCP)",
    "new_patients": "New Patients (first completed procedure, D9986/D9987 left out)",
}

PARTS = {
    "zero_units": (
        "{amount} from completed procedures with 0 units: caseboard counts them as 1 unit "
        "(as Open Dental's own fee total does), the report's query multiplies the fee by 0"
    ),
    "deleted_patients": (
        "{amount} from deleted patients (PatStatus 4): Open Dental's report still counts "
        "their rows, caseboard does not load them"
    ),
    "unearned": (
        "{amount} of prepayments (unearned paysplits): caseboard counts them as income when "
        "paid, Open Dental's report leaves them out unless 'include unearned' is ticked"
    ),
    "income_transfers": (
        "{amount} of income transfers (PayType 0): not loaded by caseboard; in Open Dental "
        "they normally net to zero"
    ),
    "not_on_check": (
        "{amount} of insurance payments not attached to an insurance check: caseboard counts "
        "them by DateCP, Open Dental's income report only counts finalized checks"
    ),
    "not_patients": (
        "{amount} prospective or non-patients with a completed procedure: Open Dental counts "
        "them as new, caseboard does not"
    ),
}

_SET_FROM = "SET VARIABLE reconcile_from = CAST(? AS DATE)"
_SET_TO = "SET VARIABLE reconcile_to = CAST(? AS DATE)"
_SET_PRACTICE = "SET VARIABLE practice_id = CAST(? AS VARCHAR)"
_GET_PRACTICE = "SELECT CAST(getvariable('practice_id') AS VARCHAR)"


def _number(value, metric: str) -> Decimal | int:
    if metric == "new_patients":
        return int(value or 0)
    return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _show(value: Decimal | int, metric: str) -> str:
    if metric == "new_patients":
        return f"{value:+d}"
    return f"{value:+,.2f}"


def _since_load(changed_tables: list[str] | None) -> str:
    if changed_tables is None:
        return " (the live database was not compared with the load)"
    if changed_tables:
        return (f"; the database changed since the load (tables {', '.join(changed_tables)}): "
                "load it again to compare like with like")
    return "; the live database is unchanged since the load"


def reconcile(
    con: duckdb.DuckDBPyConnection,
    date_from: date,
    date_to: date,
    practice_id: str | None = None,
    changed_tables: list[str] | None = None,
) -> list[dict]:
    """Caseboard beside Open Dental's own report totals for [date_from, date_to], explained.

    ``changed_tables``: the Open Dental tables that changed in the live database
    since the load (checked by the caller), [] when none did, None when unknown.
    """
    previous = con.sql(_GET_PRACTICE).fetchall()[0][0]
    con.execute(_SET_FROM, [date_from])
    con.execute(_SET_TO, [date_to])
    con.execute(_SET_PRACTICE, [practice_id])
    try:
        totals = query_view(con, "reconcile_totals").sort("sort_order")
        parts = query_view(con, "reconcile_parts")
    finally:
        con.execute(_SET_PRACTICE, [previous])
    rows = []
    for total in totals.iter_rows(named=True):
        metric = total["metric"]
        ours = _number(total["caseboard"], metric)
        theirs = _number(total["opendental"], metric)
        difference = ours - theirs
        explained = []
        known = ours * 0
        for part in parts.filter(parts["metric"] == metric).iter_rows(named=True):
            amount = _number(part["amount"], metric)
            known += amount
            explained.append(
                {
                    "cause": part["part"],
                    "amount": amount,
                    "text": PARTS[part["part"]].format(amount=_show(amount, metric)),
                }
            )
        rest = difference - known
        if rest != 0:
            explained.append(
                {
                    "cause": "other",
                    "amount": rest,
                    "text": f"{_show(rest, metric)} not explained by a known cause: rows "
                    "quarantined at load (see `caseboard rejects`) or rounding of Open Dental's "
                    "float amounts" + _since_load(changed_tables),
                }
            )
        capitation = total.get("capitation")
        if capitation:
            moved = _number(capitation, metric)
            explained.append(
                {
                    "cause": "capitation_basis",
                    "amount": None,
                    "text": f"on the report's basis: {_show(moved, metric)} of capitation "
                    "write-offs (claimproc Status 7) "
                    + ("taken off production" if metric == "gross_production"
                       else "left out of write-offs (they are in production)"),
                }
            )
        if metric == "insurance_writeoffs" and total["opendental_alt"] is not None:
            alt = _number(total["opendental_alt"], metric)
            explained.append(
                {
                    "cause": "writeoff_date_basis",
                    "amount": None,
                    "text": f"caseboard dates write-offs by insurance pay date (DateCP), Open "
                    f"Dental's default; with the 'procedure date' write-off basis Open "
                    f"Dental's report would show {alt:,.2f}",
                }
            )
        rows.append(
            {
                "metric": metric,
                "label": LABELS[metric],
                "opendental_report": REPORTS[metric],
                "caseboard": ours,
                "opendental": theirs,
                "difference": difference,
                "opendental_loaded": bool(total["opendental_loaded"]),
                "explanations": explained,
            }
        )
    return rows
