"""Case acceptance: trend by $ and count, speed of acceptance, breakdowns, same-day share."""

import streamlit as st

from caseboard.review import charts, compare, periods, totals
from caseboard.review.format import count, money
from caseboard.review.registry import METRICS
from dashboard import data, state, ui

filters = state.require_data()
ui.definitions("diagnosed_amount", "accepted_amount", "rate_amount", "rate_count",
               "same_day_share", "time_to_acceptance", "case_acceptance")
st.caption(
    f"Acceptance window: **{filters.window_days} days** · "
    + ("all codes included" if filters.all_codes else
       "diagnostic, preventive and missed-appointment codes left out")
    + " (change both in the sidebar)."
)
left, right = st.columns(2)
period = left.segmented_control("Period", ["month", "week"], default="month",
                                key="acceptance_period", format_func=str.title)
measure = right.segmented_control("Measure", ["amount", "count"], default="amount",
                                  key="acceptance_measure",
                                  format_func=lambda m: "Fees ($)" if m == "amount" else "Count")
period = period or "month"
measure = measure or "amount"
params = filters.params()
if period == "week":
    view = "metric_acceptance_weekly"
    week_from, week_to = periods.week_range(filters.month_from, filters.month_to, filters.as_of)
    params = params.but(week_from=week_from, week_to=week_to)
else:
    view = "metric_acceptance_monthly"
trend, monthly, speed, breakdown, cases = data.load_views([
    (view, params), ("metric_acceptance_monthly", filters.params()),
    ("metric_time_to_acceptance", filters.params()),
    ("metric_acceptance_breakdown", filters.params()),
    ("metric_acceptance_cases", filters.params()),
])
if trend is None:
    st.warning("The acceptance views are not built yet: run `caseboard ingest` again.")
    st.stop()

sums = totals.acceptance_totals(monthly)
cols = st.columns(4)
with cols[0]:
    ui.tile("diagnosed_amount", sums["diagnosed_amount"], note="fees, all months shown")
with cols[1]:
    ui.tile("accepted_amount", sums["accepted_amount"],
            note="fees, all months shown (recent ones provisional)")
with cols[2]:
    ui.tile("rate_amount", sums["rate_amount"],
            note=f"{money(sums['mature_accepted_amount'])} accepted of "
                 f"{money(sums['mature_diagnosed_amount'])} in the {sums['mature_months']} "
                 "mature months")
with cols[3]:
    ui.tile("same_day_share", sums["same_day_share"], note="fees, the same mature months")
st.caption("Tiles, breakdowns and the two charts below the main one are by fees over the "
           "months shown; the Period and Measure controls change the main chart only.")

ui.plot(charts.acceptance_trend_chart(trend, "week_start" if period == "week" else "month",
                                      measure), "acceptance_trend")
st.caption("Lighter, hatched bars and the dashed line are provisional: their window has not "
           "passed yet, so more of that treatment may still be accepted.")
left, right = st.columns(2)
with left:
    ui.plot(charts.time_to_acceptance_chart(speed, as_of=filters.as_of), "acceptance_speed")
with right:
    ui.plot(charts.same_day_chart(monthly), "acceptance_same_day")

if filters.compare:
    by_practice = compare.acceptance_by_practice(
        data.load_by_practice("metric_acceptance_monthly", filters.params(), filters.practices))
    left, right = st.columns(2)
    with left:
        ui.plot(charts.comparison_chart(by_practice, "rate_amount", "Acceptance rate ($, mature "
                                        "months)", "percent"), "acceptance_compare_rate")
    with right:
        ui.plot(charts.comparison_chart(by_practice, "diagnosed_amount",
                                        "Diagnosed (mature months)"),
                "acceptance_compare_diagnosed")

st.subheader("Breakdowns")
if filters.compare:
    st.caption("All practices together: each bar adds up its cases across every practice. "
               "Pick one practice in the sidebar to see its own presenters and providers.")
ui.missing(data.missing_table_message(filters.overview, "team",
                                      "team members' names instead of their ids"))
plans_missing = data.missing_table_message(filters.overview, "treatment_plans",
                                           "acceptance by presenter")
health = data.load_view("dashboard_data_health", filters.params())
dimensions = st.columns(2)
for index, dimension in enumerate(["presenter", "provider", "category", "case_size"]):
    with dimensions[index % 2]:
        if dimension == "presenter" and plans_missing:
            ui.missing(plans_missing)
        ui.plot(charts.breakdown_chart(breakdown, dimension), f"acceptance_{dimension}")
        if dimension == "presenter" and not plans_missing:
            ui.unassigned_note(health, "Treatment plans without a presenter",
                               "treatment plans have no presenter")

if cases is not None and cases.height:
    case = totals.case_totals(cases)
    st.markdown(
        f"**{METRICS['case_acceptance'].label}:** {count(case['accepted_cases'])} of "
        f"{count(case['case_count'])} cases had some treatment accepted, "
        f"{count(case['fully_accepted_cases'])} were accepted in full.",
        help=METRICS["case_acceptance"].definition,
    )
