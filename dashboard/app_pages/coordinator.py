"""Coordinator: readiness with a plain verdict, a payback estimate, and goals with progress."""

import streamlit as st

from caseboard.review import charts, payback
from caseboard.review.format import money, percent
from caseboard.review.registry import GOAL_METRICS, METRICS, goal_metric
from caseboard.storage import StorageError
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
st.subheader("Is the practice ready for a treatment coordinator?",
             help=METRICS["readiness"].definition)
left, right = st.columns(2)
ready_active = left.number_input("Active patients needed", min_value=1, value=1500, step=100,
                                 key="coordinator_ready_active")
ready_new = right.number_input("New patients a month needed", min_value=1, value=50, step=5,
                               key="coordinator_ready_new")
params = filters.params(ready_active=int(ready_active), ready_new=int(ready_new))
readiness, acceptance, production, progress, active, new = data.load_views([
    ("metric_readiness", params), ("metric_acceptance_monthly", params),
    ("metric_production_monthly", params), ("metric_goal_progress", params),
    ("metric_active_patients_monthly", params), ("metric_new_patients_monthly", params),
])
progress = data.with_followup_goals(progress, params)
if readiness is None:
    st.warning("The readiness view is not built yet: run `caseboard ingest` again.")
    st.stop()
row = readiness.row(0, named=True)
verdict = payback.readiness_verdict(row["active_patients"], row["new_patients_avg_3m"],
                                    int(ready_active), int(ready_new))
(st.success if row["ready"] else st.warning)(verdict, icon=":material/support_agent:")
cols = st.columns(2)
with cols[0]:
    ui.tile("active_patients", row["active_patients"], note=f"threshold {ready_active:,}")
    ui.plot(charts.active_patients_chart(active, int(ready_active)), "coordinator_active")
with cols[1]:
    ui.tile("new_patients_avg_3m", row["new_patients_avg_3m"], note=f"threshold {ready_new:,}")
    ui.plot(charts.new_patients_chart(new, int(ready_new)), "coordinator_new")

st.subheader("Would a coordinator pay for themselves?", help=METRICS["payback"].definition)
inputs = payback.payback_inputs(acceptance, production)
left, right = st.columns(2)
cost = left.number_input("Coordinator's yearly cost ($)", min_value=0, value=60000, step=5000,
                         key="coordinator_cost")
current = inputs.current_rate or 0.0
target = right.slider("Target acceptance rate (by fees, %)", 0, 100,
                      min(round(current * 100) + 10, 100), 1, format="%d%%",
                      key="coordinator_target") / 100
estimate = payback.payback(inputs.diagnosed_per_month, current, target,
                           inputs.collection_rate if inputs.collection_rate is not None else 1.0,
                           float(cost))
st.markdown(
    f"Over the {inputs.months_used} mature months shown with diagnosed treatment, the practice "
    f"diagnosed **{money(inputs.diagnosed_per_month)}** a month and accepted "
    f"**{percent(current)}** of it; it collected **{percent(inputs.collection_rate)}** of net "
    "production.  \n"
    f"Raising acceptance to **{percent(target)}** would bring about "
    f"**{money(estimate.monthly_gain)} a month** ({money(estimate.yearly_gain)} a year)."
)
if estimate.months_to_payback is None:
    st.info("Set a target above the current rate to estimate a payback period.")
else:
    st.metric("Months to pay back one year's cost", f"{estimate.months_to_payback:,.1f}",
              border=True, help=METRICS["payback"].definition)

followup_ui.measures_section(filters.params(), filters.as_of)

st.subheader("Goals", help=METRICS["goal_progress"].definition)
if progress is not None and progress.height:
    for goal in progress.iter_rows(named=True):
        item = goal_metric(goal["metric"])
        shown = item.format if item else str
        who = " · ".join(x for x in [goal["practice_id"], goal["member_id"]] if x)
        st.progress(min(max(goal["progress"] or 0.0, 0.0), 1.0),
                    text=f"**{item.label if item else goal['metric']}** this {goal['period']}"
                         f"{' · ' + who if who else ''}: {shown(goal['actual'])} of "
                         f"{shown(goal['target'])} · {goal['status']}")
        if st.button("Remove", key=f"coordinator_remove_{goal['goal_id']}"):
            try:
                data.delete_goal(goal["goal_id"])
            except StorageError as error:
                st.error(f"The goal was not removed: {error}")
            else:
                st.rerun()
else:
    st.caption("No goals yet.")
team = data.load_team()
members = {} if team is None else dict(zip(team["member_id"], team["member_name"], strict=True))
with st.form("coordinator_goal", clear_on_submit=True):
    st.markdown("**Add a goal**")
    a, b, c, d = st.columns(4)
    metric = a.selectbox("Metric", list(GOAL_METRICS), format_func=lambda m: goal_metric(m).label)
    amount = b.number_input("Target", min_value=0.0, value=0.0, step=100.0,
                            help="Rates as a fraction: 0.6 = 60%.")
    period = c.selectbox("Period", ["week", "month"])
    member = d.selectbox("Team member", [None, *members],
                         format_func=lambda m: "Whole team" if m is None else members[m])
    if st.form_submit_button("Save goal"):
        try:
            data.save_goal(metric, float(amount), period, filters.practice_id, member)
        except StorageError as error:
            st.error(f"The goal was not saved: {error}")
        else:
            st.rerun()
