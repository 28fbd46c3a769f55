"""Weekly review (home): this week vs last week and the 4-week average, what changed, what to do."""

import polars as pl
import streamlit as st

from caseboard import privacy
from caseboard.review import changes, charts, periods, weekly
from caseboard.review.format import money
from caseboard.review.registry import METRICS, goal_metric, help_text
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
weeks = periods.recent_weeks(filters.as_of, 26)
pick, report = st.columns([2, 1], vertical_alignment="bottom")
monday = pick.selectbox(
    "Week", weeks, key="weekly_week",
    format_func=lambda d: f"{d:%a %b %d} – {periods.week_end(d):%a %b %d, %Y}",
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
        file_name=f"caseboard-week-{monday:%Y-%m-%d}.pdf", mime="application/pdf",
        on_click="ignore", icon=":material/picture_as_pdf:",
        help="Builds the one-to-two-page owner report of this week when clicked (a few "
             "seconds).",
    )
week = data.load_week(filters.params(), monday)
if week.acceptance is None:
    st.warning("The weekly views are not built yet: run `caseboard ingest` again.")
    st.stop()
this, last, average = week.this_week(), week.last_week(), week.average()

columns = st.columns(3)
for index, key in enumerate(weekly.TILE_KEYS):
    with columns[index % 3]:
        delta = None if this[key] is None or last[key] is None else this[key] - last[key]
        ui.tile(key, this[key], delta, "vs last week",
                note=f"4-week average: {METRICS[key].format(average[key])}")
st.caption(
    "Acceptance for a recent week is provisional: patients have "
    f"{filters.window_days} days to accept. Unscheduled, A/R and claims are read on the "
    "week's Sunday."
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
with right:
    st.subheader("Goals this week", help=help_text("goal_progress"))
    goals = data.with_followup_goals(
        week.goals, filters.params(as_of=periods.point_in_time(monday, filters.as_of)))
    if goals is None or goals.height == 0:
        st.caption("No goals yet: add them on the **Coordinator** page.")
    else:
        for goal in goals.iter_rows(named=True):
            item = goal_metric(goal["metric"])
            name = item.label if item else goal["metric"]
            shown = item.format if item else str
            st.progress(min(max(goal["progress"] or 0.0, 0.0), 1.0),
                        text=f"{name} ({goal['period']}): {shown(goal['actual'])} of "
                             f"{shown(goal['target'])} · {goal['status']}")

st.subheader("10 largest unscheduled cases")
if week.largest_cases is None or week.largest_cases.height == 0:
    st.caption("No unscheduled treatment.")
else:
    top = privacy.people_view(week.largest_cases,
                           filters.deidentify)
    st.dataframe(
        top.select("patient", "phone", "amount", "procedure_count", "codes",
                   "oldest_diagnosed_date", "next_appointment"),
        hide_index=True, width="stretch",
        column_config=ui.worklist_columns(),
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
    rows = []
    for practice, values in zip(filters.practices, tiles, strict=True):
        rows.append({"Practice": practice,
                     **{METRICS[k].label: METRICS[k].format(values[k]) for k in weekly.TILE_KEYS}})
    st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch")
