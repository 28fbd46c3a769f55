"""Coordinator: readiness with a plain verdict, a payback estimate, and goals with progress."""

import streamlit as st

from caseboard.review import charts, goals, payback
from caseboard.review.format import money, percent
from caseboard.review.registry import GOAL_METRICS, METRICS, goal_metric
from caseboard.storage import StorageError
from dashboard import data, state, ui

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
    ("metric_production_monthly", params), goals.goal_request(params),
    ("metric_active_patients_monthly", params), ("metric_new_patients_monthly", params),
])
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

st.subheader("Goals", help=METRICS["goal_progress"].definition)
team = data.load_team()
members = {} if team is None else dict(zip(team["member_id"], team["member_name"], strict=True))


def target_input(metric: str, key: str, value: float = 0.0) -> float:
    """The target widget in the metric's unit: percent for rates, dollars or a count."""
    if goals.is_rate(metric):
        return st.number_input("Target (%)", min_value=0.0, value=value, step=5.0, key=key,
                               help="A percentage from 0 to 100: 60 means 60 %.")
    unit = " ($)" if goal_metric(metric).kind == "money" else ""
    return st.number_input(f"Target{unit}", min_value=0.0, value=value,
                           step=100.0 if unit else 1.0, key=key)


def member_input(key: str, value: str | None = None) -> str | None:
    """The team member the goal is for (None = whole team)."""
    options = [None, *members]
    return st.selectbox("Team member", options, key=key,
                        index=options.index(value) if value in options else 0,
                        format_func=lambda m: "Whole team" if m is None else members[m])


shown_goals = goals.goal_lines(progress)
if not shown_goals:
    st.caption("No goals yet.")
for goal in shown_goals:
    st.progress(min(max(goal.progress or 0.0, 0.0), 1.0), text=f"**{goal.summary}**")
    st.caption(f"{goal.dates} · for {goal.owner}")
    edit, remove = st.columns([4, 1])
    with edit.expander("Edit this goal"):
        a, b, c = st.columns(3)
        with a:
            target = target_input(goal.metric, f"goal_target_{goal.goal_id}",
                                  goals.target_for_input(goal.metric, goal.target))
        period = b.selectbox("Period", ["week", "month"], key=f"goal_period_{goal.goal_id}",
                             index=["week", "month"].index(goal.period))
        with c:
            member = member_input(f"goal_member_{goal.goal_id}", goal.member_id)
        if st.button("Save changes", key=f"goal_save_{goal.goal_id}"):
            try:
                data.update_goal(goal.goal_id, goal.metric,
                                 goals.target_from_input(goal.metric, float(target)), period,
                                 member)
            except (goals.GoalError, StorageError) as error:
                st.error(f"The goal was not changed: {error}")
            else:
                st.rerun()
    if remove.button("Remove", key=f"coordinator_remove_{goal.goal_id}"):
        try:
            data.delete_goal(goal.goal_id)
        except StorageError as error:
            st.error(f"The goal was not removed: {error}")
        else:
            st.rerun()

with st.container(border=True):
    st.markdown("**Add a goal**")
    a, b, c, d = st.columns(4)
    metric = a.selectbox("Metric", list(GOAL_METRICS), format_func=lambda m: goal_metric(m).label,
                         key="goal_new_metric")
    with b:
        amount = target_input(metric, f"goal_new_target_{metric}")
    period = c.selectbox("Period", ["week", "month"], key="goal_new_period")
    with d:
        member = member_input("goal_new_member")
    where = f"practice {filters.practice_id}" if filters.practice_id else "all practices"
    if st.button("Save goal", key="goal_new_save",
                 help=f"The goal is for {where} (the sidebar's practice)."):
        try:
            data.save_goal(metric, goals.target_from_input(metric, float(amount)), period,
                           filters.practice_id, member)
        except (goals.GoalError, StorageError) as error:
            st.error(f"The goal was not saved: {error}")
        else:
            st.rerun()
