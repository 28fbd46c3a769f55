"""The treatment-coordinator decision in words (spec/metrics.md section 8).

Every figure comes from the views ``metric_readiness``, ``metric_readiness_practices``
and ``metric_payback``; this module only turns their rows into sentences and lists the
inputs with where each came from, for the Coordinator page and the weekly report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from caseboard.review.format import money, percent

DEFAULT_TARGET_POINTS = 10


def readiness_verdict(active: float | None, new_avg: float | None, ready_active: int,
                      ready_new: int) -> str:
    """A plain sentence on whether the practice is ready for a treatment coordinator."""
    if active is None or new_avg is None:
        return "Not enough data to judge readiness yet."
    gaps = []
    if active < ready_active:
        gaps.append(f"{ready_active - active:,.0f} more active patients (has {active:,.0f} "
                    f"of {ready_active:,})")
    if new_avg < ready_new:
        gaps.append(f"{ready_new - new_avg:,.1f} more new patients a month (averages "
                    f"{new_avg:,.1f} of {ready_new:,})")
    if not gaps:
        return (f"Ready: {active:,.0f} active patients (threshold {ready_active:,}) and "
                f"{new_avg:,.1f} new patients a month (threshold {ready_new:,}).")
    return "Not ready yet: needs " + " and ".join(gaps) + "."


def short_verdict(row: dict[str, Any]) -> str:
    """'Ready' or 'Not ready: needs N more active patients ...' for one practice's row."""
    if row["ready"]:
        return "Ready"
    text = readiness_verdict(float(row["active_patients"]), float(row["new_patients_avg_3m"]),
                             int(row["ready_active"]), int(row["ready_new"]))
    return text.replace("Not ready yet: needs", "Not ready: needs").rstrip(".")


def no_payback_reason(row: dict[str, Any]) -> str | None:
    """Why no payback can be computed from a metric_payback row (None when it can)."""
    months = _months(row["production_from"], row["production_to"])
    basis = _months(row["basis_from"], row["basis_to"])
    if row["current_rate"] is None:
        return (f"No payback: nothing was diagnosed in the basis months ({basis}), so there is "
                "no acceptance rate to improve.")
    if row["net_share"] is None:
        return (f"No payback: no production was recorded in {months}, so what accepted "
                "treatment brings in cannot be estimated.")
    if row["collection_rate"] is None:
        return (f"No payback: net production in {months} was zero or less (adjustments "
                "outweigh production), so the collection rate is unknown.")
    return None


def payback_sentence(row: dict[str, Any]) -> str:
    """The verdict in words: pays for itself by about $X a month, or costs $X more a month."""
    reason = no_payback_reason(row)
    if reason is not None:
        return reason
    net = float(row["monthly_net"])
    target = percent(row["target_rate"], 0)
    if net > 0:
        return (f"At {target} acceptance a coordinator pays for itself: about {money(net)} a "
                "month after its cost.")
    return (f"At {target} acceptance a coordinator does not pay for itself at this target: it "
            f"would cost about {money(-net)} a month more than it brings.")


def break_even_sentence(row: dict[str, Any]) -> str | None:
    """Where the coordinator breaks even, in words (None when it cannot be computed)."""
    rate = row["break_even_rate"]
    if rate is None or no_payback_reason(row) is not None:
        return None
    rate = float(rate)
    if rate > 1:
        return (f"It breaks even only above 100% acceptance ({percent(rate, 0)}): the practice "
                "does not diagnose enough to pay for a coordinator at this cost.")
    return (f"It breaks even at {percent(rate)} acceptance by fees (now "
            f"{percent(row['current_rate'])}).")


def gains(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The gain and net at the current rate + 5, + 10 and + 20 points (rows for a table)."""
    if no_payback_reason(row) is not None:
        return []
    cost = float(row["monthly_cost"])
    current = float(row["current_rate"])
    return [
        {"Acceptance": f"{percent(current + points / 100)} (+{points} points)",
         "Extra collections a month": money(row[f"gain_plus_{points}"]),
         "After the coordinator's cost": money(float(row[f"gain_plus_{points}"]) - cost)}
        for points in (5, 10, 20)
    ]


def inputs(row: dict[str, Any]) -> list[dict[str, str]]:
    """Every input of the payback with its value and where it came from (rows for a table)."""
    basis = _months(row["basis_from"], row["basis_to"])
    months = _months(row["production_from"], row["production_to"])
    return [
        {"Input": "Diagnosed a month (D)", "Value": money(row["monthly_diagnosed"]),
         "From": f"{money(row['diagnosed_amount'])} diagnosed in the 6 most recent mature "
                 f"months ({basis}) / 6"},
        {"Input": "Current acceptance (r)", "Value": percent(row["current_rate"]),
         "From": f"{money(row['accepted_amount'])} accepted of "
                 f"{money(row['diagnosed_amount'])} diagnosed, {basis}"},
        {"Input": "Completion share (c)", "Value": percent(row["completion_share"]),
         "From": f"{money(row['completed_amount'])} of the accepted fees already completed"},
        {"Input": "Net share (n)", "Value": percent(row["net_share"]),
         "From": f"net production {money(row['net_production'])} / gross "
                 f"{money(row['gross_production'])}, {months} (write-offs come off)"},
        {"Input": "Collection rate (k)", "Value": percent(row["collection_rate"]),
         "From": f"collections {money(row['collections'])} / net production "
                 f"{money(row['net_production'])}, {months}"},
        {"Input": "Lab and supplies (v)", "Value": percent(row["variable_cost_share"]),
         "From": "entered (setting CASEBOARD_VARIABLE_COST, default 14%)"},
        {"Input": "Target acceptance (t)", "Value": percent(row["target_rate"]),
         "From": "entered" if not row["target_is_default"]
         else f"entered; starts at the current rate + {DEFAULT_TARGET_POINTS} points"},
        {"Input": "Coordinator's cost (C)", "Value": f"{money(row['coordinator_cost'])} a year",
         "From": f"entered (setting CASEBOARD_COORDINATOR_COST); "
                 f"{money(row['monthly_cost'])} a month"},
    ]


def formula_text(row: dict[str, Any]) -> str | None:
    """The gain's arithmetic with the practice's numbers, so every figure can be traced."""
    if no_payback_reason(row) is not None:
        return None
    return (f"Gain = D x (t - r) x c x n x k x (1 - v) = {money(row['monthly_diagnosed'])} x "
            f"({percent(row['target_rate'])} - {percent(row['current_rate'])}) x "
            f"{percent(row['completion_share'])} x {percent(row['net_share'])} x "
            f"{percent(row['collection_rate'])} x {percent(1 - float(row['variable_cost_share']))}"
            f" = {money(row['monthly_gain'])} a month; minus {money(row['monthly_cost'])} a "
            f"month of cost = {money(row['monthly_net'])}.")


def _months(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "—"
    return f"{first:%b %Y} to {last:%b %Y}"
