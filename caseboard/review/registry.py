"""One registry of metric labels, formats and definitions (plain words from spec/metrics.md).

Every tile, chart and help popover of the dashboard takes its label and
definition from here; the weekly report reuses it.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseboard.review.format import fmt, fmt_delta


@dataclass(frozen=True)
class Metric:
    """How one number is named, formatted and explained."""

    key: str
    label: str
    kind: str  # 'money', 'percent' or 'count'
    definition: str
    higher_is_better: bool = True

    def format(self, value: float | int | None) -> str:
        """The value in this metric's format."""
        return fmt(self.kind, value)

    def format_delta(self, value: float | int | None) -> str | None:
        """A change of this metric in its format."""
        return fmt_delta(self.kind, value)


_EXCLUDED = (
    "Diagnostic and preventive codes (D0, D1) and missed/cancelled appointment codes "
    "(D9986, D9987) are left out unless 'Include all codes' is on."
)

_ALL = [
    Metric(
        "diagnosed_amount", "Diagnosed", "money",
        "Fees of the treatment diagnosed in the period (procedures planned, completed or "
        "set aside, by diagnosis date, up to the as-of date; deleted, existing, referred and "
        "condition rows never count). " + _EXCLUDED,
    ),
    Metric(
        "diagnosed_count", "Procedures diagnosed", "count",
        "Number of procedures diagnosed in the period. " + _EXCLUDED,
    ),
    Metric(
        "accepted_amount", "Accepted", "money",
        "Fees of the treatment diagnosed in the period that the patient accepted: scheduled "
        "or completed (whichever came first) within the acceptance window (default 90 days) "
        "of diagnosis and by the as-of date. " + _EXCLUDED + " A week's tile counts "
        "acceptances up to the as-of date; a goal only those by its period's last day.",
    ),
    Metric(
        "accepted_count", "Procedures accepted", "count",
        "Number of procedures diagnosed in the period and accepted within the window.",
    ),
    Metric(
        "rate_amount", "Acceptance rate ($)", "percent",
        "Accepted fees divided by diagnosed fees, for treatment diagnosed in the period. "
        "A period is provisional until its last day plus the acceptance window has passed: "
        "patients still have time to accept, so a low recent rate is not yet a drop.",
    ),
    Metric(
        "rate_count", "Acceptance rate (count)", "percent",
        "Accepted procedures divided by diagnosed procedures, for treatment diagnosed in "
        "the period. Provisional until the window has passed.",
    ),
    Metric(
        "same_day_share", "Same-day acceptance", "percent",
        "Share of diagnosed fees accepted on the day they were diagnosed (scheduled or done "
        "the same day).",
    ),
    Metric(
        "time_to_acceptance", "Time to acceptance", "percent",
        "For treatment diagnosed in each month: the share of its fees accepted within 0, 7, "
        "14, 30, 60 and 90 days of diagnosis.",
    ),
    Metric(
        "case_acceptance", "Cases accepted", "count",
        "A case is one treatment plan (or, without a plan, one patient's procedures "
        "diagnosed on one day). Accepted when any of its procedures is accepted; fully "
        "accepted when all are.",
    ),
    Metric(
        "gross_production", "Gross production", "money",
        "Fees of procedures completed in the period.",
    ),
    Metric(
        "adjustments", "Adjustments", "money",
        "All adjustments dated in the period; write-offs and discounts are negative.",
    ),
    Metric(
        "net_production", "Net production", "money",
        "Gross production plus adjustments.",
    ),
    Metric(
        "collections", "Collections", "money",
        "All payments dated in the period (patient, insurance and financing; refunds "
        "negative).",
    ),
    Metric(
        "collection_rate", "Collection rate", "percent",
        "Collections divided by net production for the period; blank when net production "
        "is zero or less. The usual benchmark is 98%.",
    ),
    Metric(
        "new_patients", "New patients", "count",
        "Patients whose first visit falls in the period (recorded first visit, else their "
        "first completed procedure, not counting missed/cancelled appointment codes). "
        "Prospective patients and non-patients are never new.",
    ),
    Metric(
        "new_patients_avg_3m", "New patients, 3-month average", "count",
        "Average new patients per month over the 3 complete calendar months before the "
        "as-of month.",
    ),
    Metric(
        "active_patients", "Active patients", "count",
        "Patients (not deceased, archived, prospective or non-patients) with a completed "
        "procedure in the 18 months up to the as-of date. Missed/cancelled appointment "
        "codes do not make a patient active.",
    ),
    Metric(
        "unscheduled_amount", "Unscheduled treatment", "money",
        "Fees of planned procedures diagnosed by the as-of date that are neither scheduled "
        "nor completed by then, whatever their age. Deceased and archived patients are "
        "left out. Declined (set-aside) treatment is shown beside it, not in it.",
        higher_is_better=False,
    ),
    Metric(
        "unscheduled_aging", "Unscheduled by age", "money",
        "Unscheduled fees by days since diagnosis: 0-30, 31-90, 91-180, 181-365, 365+.",
        higher_is_better=False,
    ),
    Metric(
        "declined_amount", "Declined / set aside", "money",
        "Fees of treatment the patient declined or that was set aside (inactive), reported "
        "beside unscheduled treatment.",
        higher_is_better=False,
    ),
    Metric(
        "ar_total", "A/R total", "money",
        "What patients owe as of the as-of date: completed fees and positive adjustments, "
        "paid oldest-first by each patient's payments and write-offs.",
        higher_is_better=False,
    ),
    Metric(
        "ar_91_plus", "A/R over 90 days", "money",
        "The part of accounts receivable whose charges are more than 90 days old after "
        "each patient's credits paid their oldest charges first.",
        higher_is_better=False,
    ),
    Metric(
        "credit_balances", "Credit balances", "money",
        "Total owed back to patients whose payments exceed their charges (never netted "
        "against what others owe).",
    ),
    Metric(
        "claims_outstanding", "Claims outstanding", "money",
        "Insurance claims sent by the as-of date and not received back by then (billed "
        "amount), aged by days since sent.",
        higher_is_better=False,
    ),
    Metric(
        "claims_over_30", "Claims outstanding over 30 days", "money",
        "Billed amount of insurance claims sent more than 30 days before the as-of date and "
        "not yet received back.",
        higher_is_better=False,
    ),
    Metric(
        "goal_progress", "Goal progress", "percent",
        "Goals count only what happened by their period's last day (the week's Sunday or "
        "the month's end, or the as-of date if earlier): an acceptance goal counts "
        "acceptances made by the week's Sunday, while the Accepted tile counts them up to the "
        "as-of date, so the goal can read lower than the tile.",
    ),
    Metric(
        "followup_contacts", "Contacts made", "count",
        "Calls and messages the coordinator recorded in the follow-up log in the period "
        "(up to the as-of date), whatever their outcome.",
    ),
    Metric(
        "followup_patients", "Patients contacted", "count",
        "Different patients with at least one recorded contact in the period.",
    ),
    Metric(
        "followup_speed", "Follow-up speed", "percent",
        "Of the patients whose oldest unscheduled diagnosis (treatment not accepted the day "
        "it was diagnosed) falls in the period, the share first contacted within 7 days of it.",
    ),
    Metric(
        "followup_overdue", "Overdue follow-ups", "count",
        "Patients whose latest contact set a next-contact date before the as-of date, with "
        "no later contact and no treatment accepted since.",
        higher_is_better=False,
    ),
    Metric(
        "followup_recovered", "Recovered", "money",
        "Fees of treatment accepted within 30 days after a recorded contact with the "
        "patient (diagnosed by then), counted in the month it was accepted.",
    ),
    Metric(
        "followup_declined", "Declined on a call", "count",
        "Contacts recorded with the outcome declined, counted by the reason given.",
        higher_is_better=False,
    ),
    Metric(
        "readiness", "Coordinator readiness", "count",
        "Ready for a treatment coordinator when active patients reach the threshold "
        "(default 1,500) and new patients average at least the threshold per month "
        "(default 50) over the last 3 complete months.",
    ),
    Metric(
        "payback", "Coordinator payback", "money",
        "Estimated extra collections a coordinator brings each month: diagnosed fees per "
        "month x (target acceptance rate - current rate) x collection rate; payback is the "
        "yearly cost divided by 12 months of that gain.",
    ),
]

METRICS: dict[str, Metric] = {metric.key: metric for metric in _ALL}

# Metrics a goal may target (names understood by metric_goal_progress) -> registry key.
GOAL_METRICS = {
    "accepted_amount": "accepted_amount",
    "acceptance_rate_amount": "rate_amount",
    "diagnosed_amount": "diagnosed_amount",
    "gross_production": "gross_production",
    "net_production": "net_production",
    "collections": "collections",
    "new_patients": "new_patients",
    "unscheduled_amount": "unscheduled_amount",
    "followup_contacts": "followup_contacts",
    "followup_patients": "followup_patients",
    "followup_speed": "followup_speed",
    "followup_recovered": "followup_recovered",
    "followup_overdue": "followup_overdue",
}


def goal_metric(name: str) -> Metric | None:
    """The registry entry for a goal's metric name, or None if unknown."""
    key = GOAL_METRICS.get(name)
    return METRICS[key] if key else None


def metric(key: str) -> Metric:
    """The registry entry for ``key`` (KeyError names the unknown key)."""
    return METRICS[key]


def label(key: str) -> str:
    """The display label of a metric."""
    return METRICS[key].label


def help_text(key: str) -> str:
    """The plain-words definition shown on hover or in a popover."""
    return METRICS[key].definition
