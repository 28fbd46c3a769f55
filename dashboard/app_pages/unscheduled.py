"""Unscheduled treatment: the total, its age, and the coordinator's call list."""

from datetime import date

import polars as pl
import streamlit as st

from caseboard import privacy
from caseboard.review import actions, calllist, charts
from caseboard.review.format import count, day, money
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
params = filters.params()
summary, aging, worklist = data.load_views([
    ("metric_unscheduled", params), ("metric_unscheduled_aging", params),
    ("metric_call_list", params),
])
if summary is None:
    st.warning("The unscheduled-treatment views are not built yet: run `caseboard ingest` again.")
    st.stop()
ui.definitions("unscheduled_amount", "unscheduled_aging", "declined_amount")
row = summary.row(0, named=True)
cols = st.columns(4)
with cols[0]:
    ui.tile("unscheduled_amount", row["total_amount"], note=f"as of {day(filters.as_of)}")
with cols[1]:
    ui.plain_tile("Procedures", count(row["procedure_count"]), f"as of {day(filters.as_of)}")
with cols[2]:
    ui.plain_tile("Patients", count(row["patient_count"]), f"as of {day(filters.as_of)}")
with cols[3]:
    ui.tile("declined_amount", row["declined_amount"],
            note=f"{count(row['declined_patient_count'])} patients, not in the total")
ui.plot(charts.unscheduled_aging_chart(aging), "unscheduled_aging")

st.subheader("Call list")
ui.missing(data.missing_table_message(filters.overview, "appointments",
                                      "each patient's next appointment"))
left, middle, right, last = st.columns(4)
min_amount = left.number_input("At least ($)", min_value=0, value=0, step=100,
                               key="unscheduled_min_amount")
age_label = middle.selectbox("Waiting at least", ["any time", "31 days", "91 days", "181 days",
                                                   "366 days"], key="unscheduled_age")
min_age = 0 if age_label == "any time" else int(age_label.split()[0])
chosen = right.multiselect("Provider", calllist.provider_names(worklist),
                           key="unscheduled_provider")
with last:
    order = st.radio("Order", list(calllist.ORDERS), key="unscheduled_order", horizontal=True,
                     help="Workability: patients without a future appointment first, then "
                          "the most recent diagnosis, then the amount.")
    hide_booked = st.checkbox("Hide booked patients", key="unscheduled_hide_booked",
                              help="Leave out patients who already have a future "
                                   "appointment (ticked in the Booked column).")
to_call = st.checkbox(
    "Only this week's calls", key="unscheduled_to_call",
    value=st.query_params.get("list") == actions.TO_CALL_QUERY["list"],
    help=f"No future appointment, at least {money(actions.CALL_MIN_AMOUNT)} unscheduled, "
         f"diagnosed in the last {filters.window_days} days (the acceptance window), most "
         "recent diagnosis first: the weekly review's 'Patients to call'.")
if to_call:
    worklist = actions.to_call(worklist, filters.window_days)
due_first = st.toggle("Due today / overdue first", key="unscheduled_due_first",
                      help="Patients whose next-contact date is today or earlier come first.")
rows = calllist.filter_worklist(worklist, filters.as_of, float(min_amount), min_age, chosen,
                                hide_booked=hide_booked, order=order)
rows = calllist.with_followups(rows, data.load_followup_log(), date.today(), due_first)
st.caption(f"{count(rows.height)} patients, {money(rows['amount'].cast(float).sum())} "
           f"unscheduled, {count(rows['due'].sum())} due a call. Select a row to record a call.")
shown = ui.worklist_view(privacy.people_view(rows, filters.deidentify).with_columns(
    pl.col("last_outcome").map_elements(followup_ui.outcome_label, return_dtype=pl.Utf8)))
followup_ui.saved_notice()
picked = st.dataframe(
    shown.select(*ui.practice_column(filters), "patient", "phone", "amount",
                 "last_contact_date", "last_outcome", "next_contact_date", "procedure_count",
                 "treatment", "days_since_diagnosis", "has_future_appointment",
                 "oldest_diagnosed_date", "last_visit_date", "next_appointment", "providers"),
    hide_index=True, width="stretch",
    key=f"unscheduled_table_{st.session_state.get('unscheduled_saves', 0)}",
    # the follow-up dates arrive as text ('—' when none), like the worklist's own dates
    column_config={**ui.worklist_columns(), **followup_ui.followup_columns(),
                   "last_contact_date": "Last contact", "next_contact_date": "Next contact",
                   "days_since_diagnosis": "Days since diagnosis",
                   "has_future_appointment": st.column_config.CheckboxColumn("Booked")},
    on_select="rerun", selection_mode="single-row",
)
if picked.selection.rows:
    index = picked.selection.rows[0]
    patient = rows.row(index, named=True)
    followup_ui.history(patient, filters.deidentify)
    followup_ui.record_form(patient, shown["patient"][index], filters.practice_id,
                            key=f"unscheduled_contact_{patient['source_id']}_{patient['patient_id']}",
                            saves_key="unscheduled_saves")
st.download_button("Download call list (CSV)", calllist.call_list_csv(rows, filters.deidentify),
                   file_name=f"call-list-{filters.as_of}.csv", mime="text/csv",
                   icon=":material/download:", key="unscheduled_download")
