"""One registry of metric labels, formats, definitions and where each number comes from.

Every tile, chart and help popover of the dashboard takes its label and
definition (plain words from spec/metrics.md) from here; the weekly report reuses it,
and docs/definitions.md is generated from it (``caseboard.review.definitions``). Each
entry names the mart view its number comes from, the column(s) (summed when several),
the pooled formula of a rate shown over a range (``caseboard.rates``, the one place such
rates are computed) and the section of spec/metrics.md that defines it.
"""

from __future__ import annotations

from dataclasses import dataclass

from caseboard.rates import COLLECTION_RATE, RATE_AMOUNT, RATE_COUNT, SAME_DAY_SHARE, PooledRate
from caseboard.review.format import count, fmt, fmt_delta
from caseboard.settings import (
    ACTIVE_MONTHS,
    READY_ACTIVE_PATIENTS,
    READY_NEW_PATIENTS,
    WINDOW_DAYS,
)

# The sections of spec/metrics.md (the product contract) the entries cite.
SPEC = {
    1: "1. Case acceptance (cohort by diagnosis date)",
    2: "2. New patients",
    3: "3. Active patients",
    4: "4. Unscheduled treatment",
    5: "5. Production, adjustments, collections",
    6: "6. Accounts receivable aging",
    7: "7. Outstanding insurance claims",
    8: "8. Coordinator readiness and payback",
    9: "9. Goals",
    10: "10. Follow-ups (the coordinator's call log)",
}


@dataclass(frozen=True)
class Metric:
    """How one number is named, formatted, explained, and where it comes from."""

    key: str
    label: str
    kind: str  # 'money', 'percent' or 'count'
    definition: str
    higher_is_better: bool = True
    view: str | None = None  # the mart view (sql/marts/<view>.sql) the number comes from
    columns: tuple[str, ...] = ()  # its column(s) in that view; several are summed
    pooled: PooledRate | None = None  # a rate over a range: how the rows are pooled
    spec: str = ""  # the section of spec/metrics.md defining it
    computed: str | None = None  # a figure computed in Python from views, where and from what

    def format(self, value: float | int | None) -> str:
        """The value in this metric's format."""
        return fmt(self.kind, value)

    def format_delta(self, value: float | int | None) -> str | None:
        """A change of this metric in its format."""
        return fmt_delta(self.kind, value)

    @property
    def source(self) -> str:
        """Where the number comes from, in words: view and column, pooled formula."""
        if self.view is None:
            return self.computed or ""
        parts = [f"{self.view}." + " + ".join(self.columns)] if self.columns else [self.view]
        if self.pooled is not None:
            parts.append(f"over a range: {self.pooled.formula}")
        return "; ".join(parts)


_EXCLUDED = (
    "Diagnostic and preventive codes (D0, D1) and missed/cancelled appointment codes "
    "(D9986, D9987) are left out unless 'Include diagnostic & preventive codes' is on "
    "(--all-codes on the command line)."
)

_ALL = [
    Metric(
        "diagnosed_amount", "Diagnosed", "money",
        "Fees of the treatment diagnosed in the period (procedures planned, completed or "
        "set aside, by diagnosis date, up to the as-of date; deleted, existing, referred and "
        "condition rows never count). " + _EXCLUDED,
        view="metric_acceptance_monthly", columns=("diagnosed_amount",), spec=SPEC[1],
    ),
    Metric(
        "diagnosed_count", "Procedures diagnosed", "count",
        "Number of procedures diagnosed in the period. " + _EXCLUDED,
        view="metric_acceptance_monthly", columns=("diagnosed_count",), spec=SPEC[1],
    ),
    Metric(
        "accepted_amount", "Accepted", "money",
        "Fees of the treatment diagnosed in the period that the patient accepted: scheduled "
        f"or completed (whichever came first) within the acceptance window (default {WINDOW_DAYS} "
        "days) "
        "of diagnosis and by the as-of date. " + _EXCLUDED + " A week's tile counts "
        "acceptances up to the as-of date; a goal only those by its period's last day.",
        view="metric_acceptance_monthly", columns=("accepted_amount",), spec=SPEC[1],
    ),
    Metric(
        "accepted_count", "Procedures accepted", "count",
        "Number of procedures diagnosed in the period and accepted within the window.",
        view="metric_acceptance_monthly", columns=("accepted_count",), spec=SPEC[1],
    ),
    Metric(
        "rate_amount", "Acceptance rate ($)", "percent",
        "Accepted fees divided by diagnosed fees, for treatment diagnosed in the period. "
        "A period is provisional until its last day plus the acceptance window has passed: "
        "patients still have time to accept, so a low recent rate is not yet a drop.",
        view="metric_acceptance_monthly", columns=("rate_amount",),
        pooled=RATE_AMOUNT, spec=SPEC[1],
    ),
    Metric(
        "rate_count", "Acceptance rate (count)", "percent",
        "Accepted procedures divided by diagnosed procedures, for treatment diagnosed in "
        "the period. Provisional until the window has passed.",
        view="metric_acceptance_monthly", columns=("rate_count",), pooled=RATE_COUNT, spec=SPEC[1],
    ),
    Metric(
        "same_day_share", "Same-day acceptance", "percent",
        "Share of diagnosed fees accepted on the day they were diagnosed (scheduled or done "
        "the same day).",
        view="metric_acceptance_monthly", pooled=SAME_DAY_SHARE, spec=SPEC[1],
    ),
    Metric(
        "time_to_acceptance", "Time to acceptance", "percent",
        "For treatment diagnosed in each month: the share of its fees accepted within 0, 7, "
        "14, 30, 60 and 90 days of diagnosis.",
        view="metric_time_to_acceptance", columns=("share_amount",), spec=SPEC[1],
    ),
    Metric(
        "case_acceptance", "Cases accepted", "count",
        "A case is one treatment plan (or, without a plan, one patient's procedures "
        "diagnosed on one day). Accepted when any of its procedures is accepted; fully "
        "accepted when all are.",
        view="metric_acceptance_cases", columns=("accepted_cases",), spec=SPEC[1],
    ),
    Metric(
        "gross_production", "Gross production", "money",
        "Fees of procedures completed in the period.",
        view="metric_production_monthly", columns=("gross_production",), spec=SPEC[5],
    ),
    Metric(
        "adjustments", "Adjustments", "money",
        "All adjustments dated in the period; write-offs and discounts are negative.",
        view="metric_production_monthly", columns=("adjustments",), spec=SPEC[5],
    ),
    Metric(
        "net_production", "Net production", "money",
        "Gross production plus adjustments.",
        view="metric_production_monthly", columns=("net_production",), spec=SPEC[5],
    ),
    Metric(
        "collections", "Collections", "money",
        "All payments dated in the period (patient, insurance and financing; refunds "
        "negative).",
        view="metric_production_monthly", columns=("collections",), spec=SPEC[5],
    ),
    Metric(
        "collection_rate", "Collection rate", "percent",
        "Collections divided by net production for the period; blank when net production "
        "is zero or less. The usual benchmark is 98%.",
        view="metric_production_monthly", columns=("collection_rate",),
        pooled=COLLECTION_RATE, spec=SPEC[5],
    ),
    Metric(
        "new_patients", "New patients", "count",
        "Patients whose first visit falls in the period (recorded first visit, else their "
        "first completed procedure, not counting missed/cancelled appointment codes). "
        "Prospective patients and non-patients are never new.",
        view="metric_new_patients_monthly", columns=("count",), spec=SPEC[2],
    ),
    Metric(
        "new_patients_avg_3m", "New patients, 3-month average", "count",
        "Average new patients per month over the 3 complete calendar months before the "
        "as-of month.",
        view="metric_readiness", columns=("new_patients_avg_3m",), spec=SPEC[8],
    ),
    Metric(
        "active_patients", "Active patients", "count",
        "Patients (not deceased, archived, prospective or non-patients) with a completed "
        f"procedure in the {ACTIVE_MONTHS} months up to the as-of date. Missed/cancelled "
        "appointment "
        "codes do not make a patient active.",
        view="metric_active_patients", columns=("active_patients",), spec=SPEC[3],
    ),
    Metric(
        "unscheduled_amount", "Unscheduled treatment", "money",
        "Fees of planned procedures diagnosed by the as-of date that are neither scheduled "
        "nor completed by then, whatever their age. Deceased and archived patients are "
        "left out. Declined (set-aside) treatment is shown beside it, not in it.",
        higher_is_better=False,
        view="metric_unscheduled", columns=("total_amount",), spec=SPEC[4],
    ),
    Metric(
        "unscheduled_aging", "Unscheduled by age", "money",
        "Unscheduled fees by days since diagnosis: 0-30, 31-90, 91-180, 181-365, 365+.",
        higher_is_better=False,
        view="metric_unscheduled_aging", columns=("amount",), spec=SPEC[4],
    ),
    Metric(
        "declined_amount", "Declined / set aside", "money",
        "Fees of treatment the patient declined or that was set aside (inactive), reported "
        "beside unscheduled treatment.",
        higher_is_better=False,
        view="metric_unscheduled", columns=("declined_amount",), spec=SPEC[4],
    ),
    Metric(
        "ar_total", "A/R total", "money",
        "What patients owe as of the as-of date: completed fees and positive adjustments, "
        "paid oldest-first by each patient's payments and write-offs.",
        higher_is_better=False,
        view="metric_ar_aging", columns=("total",), spec=SPEC[6],
    ),
    Metric(
        "ar_91_plus", "A/R over 90 days", "money",
        "The part of accounts receivable whose charges are more than 90 days old after "
        "each patient's credits paid their oldest charges first.",
        higher_is_better=False,
        view="metric_ar_aging", columns=("ar_91_plus",), spec=SPEC[6],
    ),
    Metric(
        "credit_balances", "Credit balances", "money",
        "Total owed back to patients whose payments exceed their charges (never netted "
        "against what others owe).",
        view="metric_ar_aging", columns=("credit_balances",), spec=SPEC[6],
    ),
    Metric(
        "claims_outstanding", "Claims outstanding", "money",
        "Insurance claims sent by the as-of date and not received back by then (billed "
        "amount), aged by days since sent.",
        higher_is_better=False,
        view="metric_claims_outstanding", columns=("amount",), spec=SPEC[7],
    ),
    Metric(
        "claims_over_30", "Claims outstanding over 30 days", "money",
        "Billed amount of insurance claims sent more than 30 days before the as-of date and "
        "not yet received back.",
        higher_is_better=False,
        view="metric_claims_outstanding", columns=("aging_31_60", "aging_61_90", "aging_91_plus"),
        spec=SPEC[7],
    ),
    Metric(
        "goal_progress", "Goal progress", "percent",
        "A goal is measured over its week or month holding the reviewed date (on the weekly "
        "review the selected week's Sunday, or the as-of date if earlier; elsewhere the "
        "as-of date), counting what happened up to that date: an acceptance goal counts "
        "acceptances made by then, so it can read lower than the Accepted tile. Goals on "
        "unscheduled treatment, A/R over 90 days and claims over 30 days are 'at most': on "
        "track while at or below the target. A rate is on track at or above its target; "
        "other amounts and counts when they keep pace with the share of the period gone by.",
        view="metric_goal_progress", columns=("progress",), spec=SPEC[9],
    ),
    Metric(
        "followup_contacts", "Contacts made", "count",
        "Calls and messages the coordinator recorded in the follow-up log in the period "
        "(up to the as-of date), whatever their outcome.",
        view="metric_followup_monthly", columns=("contacts",), spec=SPEC[10],
    ),
    Metric(
        "followup_patients", "Patients contacted", "count",
        "Different patients with at least one recorded contact in the period.",
        view="metric_followup_monthly", columns=("patients_contacted",), spec=SPEC[10],
    ),
    Metric(
        "followup_speed", "Follow-up speed", "percent",
        "Of the patients whose oldest unscheduled diagnosis (treatment not accepted the day "
        "it was diagnosed) falls in the period, the share first contacted within 7 days of it.",
        view="metric_followup_monthly", columns=("speed_share",), spec=SPEC[10],
    ),
    Metric(
        "followup_overdue", "Overdue follow-ups", "count",
        "Patients whose latest contact set a next-contact date before the as-of date, with "
        "no later contact and no treatment accepted since.",
        higher_is_better=False,
        view="metric_followup_overdue", columns=("overdue_patients",), spec=SPEC[10],
    ),
    Metric(
        "followup_recovered", "Recovered", "money",
        "Fees of treatment accepted within 30 days after a recorded contact with the "
        "patient (diagnosed by then), counted in the month it was accepted.",
        view="metric_followup_monthly", columns=("recovered_amount",), spec=SPEC[10],
    ),
    Metric(
        "followup_declined", "Declined on a call", "count",
        "Contacts recorded with the outcome declined, counted by the reason given.",
        higher_is_better=False,
        view="metric_followup_monthly", columns=("declined_count",), spec=SPEC[10],
    ),
    Metric(
        "readiness", "Coordinator readiness", "count",
        "Each practice on its own is ready for a treatment coordinator when its active "
        f"patients reach the threshold (default {count(READY_ACTIVE_PATIENTS)}) and its new "
        "patients average at least the threshold per month (default "
        f"{READY_NEW_PATIENTS}) over the last 3 complete months. Several practices are "
        "never judged on their sum.",
        view="metric_readiness_practices", columns=("ready",), spec=SPEC[8],
    ),
    Metric(
        "payback", "Coordinator payback", "money",
        "Extra collections a month a coordinator brings by lifting acceptance to the target: "
        "diagnosed fees a month (6 most recent mature months) x (target - current rate) x "
        "share of accepted fees completed x net/gross production x collection rate x "
        "(1 - lab and supplies share), minus the coordinator's cost a month. Break-even is "
        "the acceptance rate where the two are equal.",
        view="metric_payback", columns=("monthly_net",), spec=SPEC[8],
    ),
    Metric(
        "coordinator_workload", "Coordinator workload", "count",
        "Hours a week of coordinator work the practice's last 12 complete weeks imply: "
        "cases of $1,000 or more presented x consult minutes, new patients x intake "
        "minutes, and patients who left a visit without booking the treatment diagnosed x "
        "call minutes, against a 40-hour week.",
        spec=SPEC[8],
        computed="caseboard.review.readiness.workload from metric_coordinator_workload and "
        "the minutes entered on the page",
    ),
    Metric(
        "coordinator_before_after", "Before and after the coordinator", "percent",
        "Acceptance (by fees and by procedures) of the treatment diagnosed in the 6 mature "
        "months before the coordinator's start month and the 6 from the first whole month "
        "on the job, by case size, with the number of cases behind each figure.",
        view="metric_coordinator_before_after", columns=("rate_amount",), spec=SPEC[8],
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
    "ar_91_plus": "ar_91_plus",
    "claims_over_30": "claims_over_30",
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
