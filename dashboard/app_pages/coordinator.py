"""Coordinator: should the practice hire a treatment coordinator, when, would it pay, did it?"""

from datetime import timedelta

import polars as pl
import streamlit as st

from caseboard.review import charts, goals, payback, readiness
from caseboard.review.format import count, day, money, percent
from caseboard.review.registry import GOAL_METRICS, METRICS, goal_metric
from caseboard.storage import StorageError
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
params = filters.params()
several = filters.practice_id is None and len(filters.practices) > 1


def thresholds_caption(row: dict) -> None:
    """Where the thresholds come from (one setting each, read by every page and the CLI)."""
    st.caption(f"Thresholds: {count(row['ready_active'])} active patients and "
               f"{count(row['ready_new'])} new patients a month (settings "
               "CASEBOARD_READY_ACTIVE and CASEBOARD_READY_NEW).")


def practices_overview() -> None:
    """Every practice's own verdict and payback, ready practices first; never the sum's."""
    table, *paybacks = data.load_views(
        [("metric_readiness_practices", params)]
        + [("metric_payback", params.but(practice_id=p)) for p in filters.practices])
    st.subheader("Which practices are ready for a treatment coordinator?",
                 help=METRICS["readiness"].definition)
    if table is None:
        st.warning("The readiness view is not built yet: run `caseboard ingest` again.")
        return
    rows = table.to_dicts()
    st.caption("Each practice is judged on its own: the patients of several offices added "
               "together never make one office ready. Pick a practice in the sidebar to see "
               "when it will be ready, its workload and a before/after.")
    st.dataframe(pl.DataFrame([{
        "Practice": r["practice_id"], "Active patients": count(r["active_patients"]),
        "New patients a month (3-month average)": count(r["new_patients_avg_3m"]),
        "Verdict": payback.short_verdict(r)} for r in rows]), hide_index=True,
        width="stretch")
    if rows:
        thresholds_caption(rows[0])
        left, right = st.columns(2)
        with left:
            ui.plot(charts.readiness_practices_chart(
                table, "active_patients", "Active patients", rows[0]["ready_active"]),
                "coordinator_practices_active")
        with right:
            ui.plot(charts.readiness_practices_chart(
                table, "new_patients_avg_3m", "New patients a month (3-month average)",
                rows[0]["ready_new"]), "coordinator_practices_new")
    st.subheader("Would a coordinator pay for itself in each practice?",
                 help=METRICS["payback"].definition)
    by_practice = dict(zip(filters.practices, paybacks, strict=True))
    lines = []
    for practice in [r["practice_id"] for r in rows]:
        frame = by_practice.get(practice)
        if frame is None or frame.height == 0:
            continue
        row = frame.row(0, named=True)
        lines.append({"Practice": practice, "Acceptance now": percent(row["current_rate"]),
                      "Break-even acceptance": percent(row["break_even_rate"]),
                      "In words": payback.payback_sentence(row)})
    st.dataframe(pl.DataFrame(lines), hide_index=True, width="stretch")
    if paybacks and paybacks[0] is not None and paybacks[0].height:
        first = paybacks[0].row(0, named=True)
        st.caption(f"Each at a yearly cost of {money(first['coordinator_cost'])} and a target of "
                   f"its own acceptance + {payback.DEFAULT_TARGET_POINTS} points; pick a practice "
                   "to change them.")


def readiness_section(row: dict, active: pl.DataFrame | None, new: pl.DataFrame | None,
                      name: str):
    """The verdict, the two figures, their 24-month trends and when each threshold is crossed;
    the new-patient trend (for the workload)."""
    st.subheader(f"Is {name} ready for a treatment coordinator?",
                 help=METRICS["readiness"].definition)
    verdict = payback.readiness_verdict(row["active_patients"], row["new_patients_avg_3m"],
                                        row["ready_active"], row["ready_new"])
    (st.success if row["ready"] else st.warning)(verdict, icon=":material/support_agent:")
    thresholds_caption(row)
    new_trend = None
    figures = [("active_patients", active, "active_patients", float(row["active_patients"]),
                row["ready_active"], "Active patients"),
               ("new_patients_avg_3m", new, "count", float(row["new_patients_avg_3m"]),
                row["ready_new"], "New patients a month")]
    sentences = []
    cols = st.columns(2)
    for col, (key, frame, column, now, threshold, what) in zip(cols, figures, strict=True):
        trend = None
        if frame is not None and frame.height:
            trend = readiness.fit_trend(frame["month"].to_list(), frame[column].to_list())
        result = readiness.crossing(trend, now, threshold)
        sentences.append(readiness.crossing_sentence(what, trend, result, threshold))
        if key == "new_patients_avg_3m":
            new_trend = trend
        with col:
            ui.tile(key, now, note=f"threshold {count(threshold)}")
            if frame is not None:
                ui.plot(charts.readiness_trend_chart(
                    frame, column, f"{what}, last 24 complete months",
                    readiness.trend_points(trend, result), threshold, what),
                    f"coordinator_{key}")
    st.markdown("**When will it be ready?**  \n" + "  \n".join(sentences))
    st.caption("The trend is a straight line fitted to the last 24 complete months (least "
               "squares) and drawn on; the range comes from how far the months scatter "
               "around it. Growth rarely stays straight: treat the months as estimates.")
    return new_trend


def payback_section(default: dict) -> None:
    """The payback in words, its break-even rate, gains at +5/+10/+20 points, and its inputs."""
    st.subheader("Would a coordinator pay for itself?", help=METRICS["payback"].definition)
    row = default
    if payback.no_payback_reason(default) is None:
        a, b, c = st.columns(3)
        cost = a.number_input("Coordinator's yearly cost ($)", min_value=0.0,
                              value=float(default["coordinator_cost"]), step=5000.0,
                              format="%.0f", key="coordinator_cost")
        target = b.number_input("Target acceptance by fees (%)", min_value=0.0, max_value=100.0,
                                value=round(float(default["target_rate"]) * 100, 1), step=1.0,
                                format="%.1f", key="coordinator_target")
        lab = c.number_input("Lab and supplies (% of fees)", min_value=0.0, max_value=99.0,
                             value=round(float(default["variable_cost_share"]) * 100, 1),
                             step=1.0, format="%.1f", key="coordinator_variable")
        changed = (cost != float(default["coordinator_cost"])
                   or target != round(float(default["target_rate"]) * 100, 1)
                   or lab != round(float(default["variable_cost_share"]) * 100, 1))
        if changed:
            frame = data.load_view("metric_payback", params.but(
                coordinator_cost=float(cost), target_rate=target / 100, variable_cost=lab / 100))
            row = frame.row(0, named=True) if frame is not None else default
    reason = payback.no_payback_reason(row)
    if reason is not None:
        st.info(reason, icon=":material/info:")
        return
    (st.success if row["pays_for_itself"] else st.warning)(payback.payback_sentence(row))
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.metric("A month after its cost", money(row["monthly_net"]),
                  help="Extra collections a month minus the coordinator's cost a month.")
    with right, st.container(border=True):
        st.metric("Break-even acceptance (by fees)", percent(row["break_even_rate"]),
                  help="The acceptance rate at which the extra collections equal the cost.")
    st.markdown(payback.break_even_sentence(row) or "")
    st.dataframe(pl.DataFrame(payback.gains(row)), hide_index=True, width="stretch")
    with st.expander("Where the numbers come from"):
        st.dataframe(pl.DataFrame(payback.inputs(row)), hide_index=True,
                     width="stretch")
        st.caption(payback.formula_text(row))


def workload_section(row: dict | None, new_trend) -> None:
    """Coordinator hours a week from the practice's own weeks, against a full-time week."""
    st.subheader("How much coordinator work is there?",
                 help=METRICS["coordinator_workload"].definition)
    if row is None:
        st.warning("The workload view is not built yet: run `caseboard ingest` again.")
        return
    a, b, c = st.columns(3)
    consult = a.number_input("Minutes per consult (cases of $1,000 or more)", min_value=0,
                             value=readiness.CONSULT_MINUTES, step=5, key="coordinator_consult")
    intake = b.number_input("Minutes per new patient", min_value=0,
                            value=readiness.INTAKE_MINUTES, step=5, key="coordinator_intake")
    call = c.number_input("Minutes per follow-up call", min_value=0,
                          value=readiness.CALL_MINUTES, step=5, key="coordinator_call")
    work = readiness.workload(row, consult, intake, call)
    months = readiness.months_to_full_time(work.hours, new_trend)
    st.markdown(f"**{readiness.workload_sentence(work, months)}**")
    st.caption(
        f"A week on average over the {work.weeks} complete weeks {day(row['weeks_from'])} to "
        f"{day(row['weeks_to'] + timedelta(days=6))}: "
        f"{work.cases_per_week:.1f} cases of $1,000 or more x {consult} min + "
        f"{work.new_per_week:.1f} new patients x {intake} min + {work.calls_per_week:.1f} "
        f"patients who left without booking x {call} min. A full-time week is "
        f"{readiness.FULL_TIME_HOURS:.0f} hours; growth follows the new-patient trend "
        "(defaults: 45, 20 and 15 minutes).")


def before_after_section(practice_id: str | None) -> None:
    """The coordinator's start date (kept in the database) and acceptance before and after."""
    st.subheader("Did the coordinator make a difference?",
                 help=METRICS["coordinator_before_after"].definition)
    stored = data.load_coordinator_start(practice_id)
    team = data.load_team()
    coordinators = {}
    if team is not None:
        rows = team.filter(pl.col("role") == "coordinator")
        if practice_id is not None and "practice_id" in rows.columns:
            rows = rows.filter(pl.col("practice_id") == practice_id)
        coordinators = dict(zip(rows["member_id"], rows["member_name"], strict=True))
    a, b, c = st.columns([2, 2, 1])
    members = [None, *coordinators]
    chosen = stored.member_id if stored else (members[1] if len(members) == 2 else None)
    member = a.selectbox("Coordinator", members,
                         index=members.index(chosen) if chosen in members else 0,
                         format_func=lambda m: "Not named" if m is None else coordinators[m],
                         key="coordinator_member")
    started = b.date_input("Started on", value=stored.start_date if stored else None,
                           max_value=filters.as_of, key="coordinator_start_date")
    c.write("")
    if c.button("Save start date", key="coordinator_start_save", disabled=started is None):
        try:
            data.save_coordinator_start(practice_id, member, started)
        except StorageError as error:
            st.error(f"The start date was not saved: {error}")
        else:
            st.rerun()
    if stored is None:
        st.caption("Enter when the coordinator started to compare acceptance in the 6 mature "
                   "months before and after.")
        return
    frame = data.load_view("metric_coordinator_before_after",
                           params.but(coordinator_start=stored.start_date))
    if frame is None or frame.height == 0:
        return
    rows = frame.to_dicts()
    sentence = readiness.before_after_sentence(rows)
    if sentence:
        st.markdown(f"**{sentence}**")
    st.dataframe(pl.DataFrame(readiness.before_after_table(rows)), hide_index=True,
                 width="stretch")
    months = {r["period"]: r["months_counted"] for r in rows}
    who = coordinators.get(stored.member_id, "The coordinator")
    st.caption(f"{who} started {day(stored.start_date)}. Before: the 6 months before "
               f"that month ({months['before']} mature); after: the 6 months from the "
               f"first whole month on the job ({months['after']} mature so far). "
               "Acceptance by fees and by procedures, with the cases behind each figure; "
               "compare within a case size to see past a change in case mix.")
    if st.button("Forget the start date", key="coordinator_start_forget"):
        try:
            data.save_coordinator_start(practice_id, None, None)
        except StorageError as error:
            st.error(f"The start date was not removed: {error}")
        else:
            st.rerun()


def target_input(metric: str, key: str, value: float = 0.0) -> float:
    """The target widget in the metric's unit: percent for rates, dollars or a count."""
    if goals.is_rate(metric):
        return st.number_input("Target (%)", min_value=0.0, value=value, step=5.0, key=key,
                               help="A percentage from 0 to 100: 60 means 60 %.")
    unit = " ($)" if goal_metric(metric).kind == "money" else ""
    return st.number_input(f"Target{unit}", min_value=0.0, value=value,
                           step=100.0 if unit else 1.0, key=key)


def member_input(members: dict[str, str], key: str, value: str | None = None) -> str | None:
    """The team member the goal is for (None = whole team)."""
    options = [None, *members]
    return st.selectbox("Team member", options, key=key,
                        index=options.index(value) if value in options else 0,
                        format_func=lambda m: "Whole team" if m is None else members[m])


def goals_section() -> None:
    """The goals with their period, dates, owner and status (caseboard.review.goals), editable,
    and a form to add one."""
    progress = data.with_followup_goals(data.load_views([goals.goal_request(params)])[0],
                                        params)
    st.subheader("Goals", help=METRICS["goal_progress"].definition)
    team = data.load_team()
    members = {} if team is None else dict(zip(team["member_id"], team["member_name"],
                                               strict=True))
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
                member = member_input(members, f"goal_member_{goal.goal_id}", goal.member_id)
            if st.button("Save changes", key=f"goal_save_{goal.goal_id}"):
                try:
                    data.update_goal(goal.goal_id, goal.metric,
                                     goals.target_from_input(goal.metric, float(target)),
                                     period, member)
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
        metric = a.selectbox("Metric", list(GOAL_METRICS),
                             format_func=lambda m: goal_metric(m).label, key="goal_new_metric")
        with b:
            amount = target_input(metric, f"goal_new_target_{metric}")
        period = c.selectbox("Period", ["week", "month"], key="goal_new_period")
        with d:
            member = member_input(members, "goal_new_member")
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

if several:
    practices_overview()
else:
    name = filters.practice_id or (filters.practices[0] if filters.practices else "the practice")
    ready_frame, payback_frame, workload_frame, active, new = data.load_views([
        ("metric_readiness", params), ("metric_payback", params),
        ("metric_coordinator_workload", params),
        *readiness.history_requests(params, filters.as_of),
    ])
    if ready_frame is None or payback_frame is None:
        st.warning("The coordinator views are not built yet: run `caseboard ingest` again.")
        st.stop()
    new_trend = readiness_section(ready_frame.row(0, named=True), active, new, name)
    payback_section(payback_frame.row(0, named=True))
    workload_section(None if workload_frame is None else workload_frame.row(0, named=True),
                     new_trend)
    before_after_section(filters.practice_id)
followup_ui.measures_section(filters.params(), filters.as_of)
goals_section()
