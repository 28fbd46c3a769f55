"""Weekly review (home): this week vs last week and the 4-week average, what changed, what to do."""

import polars as pl
import streamlit as st

from caseboard import privacy
from caseboard.review import actions, changes, charts, goals, periods, weekly
from caseboard.review.format import count, day, money, short_day
from caseboard.review.format import week as week_text
from caseboard.review.registry import METRICS, help_text
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
weeks = periods.recent_weeks(filters.as_of, 26)
pick, report = st.columns([2, 1], vertical_alignment="bottom")
monday = pick.selectbox(
    "Week", weeks, key="weekly_week",
    format_func=week_text,
    help="Weeks run Monday to Sunday; the newest complete week is selected first.",
)
with report:
    names = st.checkbox(
        "Full patient names in the PDF", key="weekly_pdf_names", value=False,
        disabled=filters.deidentify,
        help="The report shows patients by initials unless this is ticked (never while "
             "de-identifying).",
    )
    st.download_button(
        "Download weekly report (PDF)", key="weekly_pdf",
        data=data.report_pdf(filters.params(), monday, names and not filters.deidentify),
        file_name=f"caseboard-week-{monday.isoformat()}.pdf", mime="application/pdf",
        on_click="ignore", icon=":material/picture_as_pdf:",
        help="Builds the one-to-two-page owner report of this week when clicked (a few "
             "seconds).",
    )
week = data.load_week(filters.params(), monday)
if week.acceptance is None:
    st.warning("The weekly views are not built yet: run `caseboard ingest` again.")
    st.stop()
this, last, average = week.this_week(), week.last_week(), week.average()

call_list, claims_list, ar_list = data.load_views([
    ("metric_call_list", filters.params()), ("metric_claims_over_30", filters.params()),
    ("metric_ar_over_90", filters.params()),
])
goal_lines = goals.goal_lines(data.with_followup_goals(
    week.goals, filters.params(as_of=periods.point_in_time(monday, filters.as_of))))
behind = [g for g in goal_lines if g.status == "behind"]
with st.container(border=True, key="weekly_actions"):
    st.subheader("Needs action this week",
                 help=f"Lists as of {day(filters.as_of)}; each opens its full list.")
    for column, item in zip(st.columns(4), actions.action_items(
            call_list, claims_list, ar_list, behind, filters.window_days), strict=True):
        with column:
            st.metric(item.label, count(item.count), border=False, help=item.note)
            if item.amount is not None:
                st.caption(f"{money(item.amount)} · {item.note}")
            else:
                st.caption(item.note)
            st.page_link(item.page, label="Open the list", icon=":material/arrow_forward:",
                         query_params=item.query)

columns = st.columns(3)
for index, key in enumerate(weekly.TILE_KEYS):
    with columns[index % 3]:
        delta = None if this[key] is None or last[key] is None else this[key] - last[key]
        read_on = (f"on {short_day(periods.point_in_time(monday, filters.as_of))} · "
                   if key in weekly.POINT_KEYS else "")
        ui.tile(key, this[key], delta, "vs last week",
                note=f"{read_on}4-week average: {METRICS[key].format(average[key])}")
st.caption(
    "Acceptance for a recent week is provisional: patients have "
    f"{filters.window_days} days to accept. Unscheduled, A/R and claims are read on the "
    "week's Sunday. "
    f"Acceptance is compared at equal age: {week.age_text}."
)

# The chart keeps its place but is sent after the tiles, changes and cases: a cold browser
# spends about a second loading Plotly's 4.7 MB script, and the tiles sent along with the
# chart often waited for that before showing. (A container, not st.empty: on a rerun the
# previous chart stays in place until the new one replaces it.)
trend = st.container()
ui.definitions(*weekly.TILE_KEYS)

left, right = st.columns([3, 2])
with left:
    st.subheader("What changed")
    lines = changes.what_changed(this, last, week.breakdown_this, week.breakdown_last)
    st.markdown("\n".join(f"- {line}" for line in lines) if lines else "Nothing moved much.")
    st.caption(f"Against last week at equal age: {week.age_text}.")
with right:
    st.subheader("Goals", help=help_text("goal_progress"))
    if not goal_lines:
        st.caption("No goals yet: add them on the **Coordinator** page.")
    for goal in goal_lines:
        st.progress(min(max(goal.progress or 0.0, 0.0), 1.0), text=goal.summary)
        st.caption(f"{goal.dates} · for {goal.owner}")

st.subheader("10 largest unscheduled cases")
if week.largest_cases is None or week.largest_cases.height == 0:
    st.caption("No unscheduled treatment.")
else:
    top = ui.worklist_view(privacy.people_view(week.largest_cases, filters.deidentify))
    st.dataframe(
        top.select(*ui.practice_column(filters), "patient", "phone", "amount",
                   "procedure_count", "treatment", "oldest_diagnosed_date", "next_appointment"),
        hide_index=True, width="stretch",
        column_config=ui.worklist_columns("medium" if filters.compare else "large"),
    )
    st.caption(f"Total unscheduled: {money(this['unscheduled_amount'])}. "
               "The full call list is on the **Unscheduled treatment** page.")

followup_ui.overdue_block(filters.params(as_of=periods.point_in_time(monday, filters.as_of)),
                          filters.deidentify,
                          key="weekly_overdue_followups")

with trend:
    ui.plot(charts.acceptance_trend_chart(week.acceptance, "week_start"), "weekly_trend")

if filters.compare:
    st.subheader("Practices side by side (this week)")
    tiles = data.load_week_tiles(
        [filters.params(practice_id=practice) for practice in filters.practices], monday)
    # One row per figure, one column per practice: nine long labels across did not fit 1440 px.
    table = {"Figure": [METRICS[k].label for k in weekly.TILE_KEYS]}
    for practice, values in zip(filters.practices, tiles, strict=True):
        table[practice] = [METRICS[k].format(values[k]) for k in weekly.TILE_KEYS]
    st.dataframe(pl.DataFrame(table), hide_index=True, width="stretch")
    st.caption(f"Acceptance at the same age as the tiles: {week.age_text}.")
