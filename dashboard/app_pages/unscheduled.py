"""Unscheduled treatment: the total, its age, and the coordinator's call list."""

from datetime import date

import polars as pl
import streamlit as st

from caseboard import privacy
from caseboard.review import calllist, charts
from caseboard.review.format import money
from dashboard import data, followup_ui, state, ui

filters = state.require_data()
params = filters.params()
summary, aging, worklist = data.load_views([
    ("metric_unscheduled", params), ("metric_unscheduled_aging", params),
    ("metric_unscheduled_worklist", params),
])
if summary is None:
    st.warning("The unscheduled-treatment views are not built yet: run `caseboard ingest` again.")
    st.stop()
ui.definitions("unscheduled_amount", "unscheduled_aging", "declined_amount")
row = summary.row(0, named=True)
cols = st.columns(4)
with cols[0]:
    ui.tile("unscheduled_amount", row["total_amount"], note=f"as of {filters.as_of:%b %d, %Y}")
with cols[1]:
    st.metric("Procedures", f"{row['procedure_count']:,}", border=True)
with cols[2]:
    st.metric("Patients", f"{row['patient_count']:,}", border=True)
with cols[3]:
    ui.tile("declined_amount", row["declined_amount"],
            note=f"{row['declined_patient_count']:,} patients, not in the total")
ui.plot(charts.unscheduled_aging_chart(aging), "unscheduled_aging")

st.subheader("Call list")
ui.missing(data.missing_table_message(filters.overview, "appointments",
                                      "each patient's next appointment"))
left, middle, right = st.columns(3)
min_amount = left.number_input("At least ($)", min_value=0, value=0, step=100,
                               key="unscheduled_min_amount")
age_label = middle.selectbox("Waiting at least", ["any time", "31 days", "91 days", "181 days",
                                                   "366 days"], key="unscheduled_age")
min_age = 0 if age_label == "any time" else int(age_label.split()[0])
chosen = right.multiselect("Provider", calllist.provider_names(worklist),
                           key="unscheduled_provider")
due_first = st.toggle("Due today / overdue first", key="unscheduled_due_first",
                      help="Patients whose next-contact date is today or earlier come first.")
rows = calllist.filter_worklist(worklist, filters.as_of, float(min_amount), min_age, chosen)
rows = calllist.with_followups(rows, data.load_followup_log(), date.today(), due_first)
st.caption(f"{rows.height:,} patients, {money(rows['amount'].cast(float).sum())} unscheduled, "
           f"{rows['due'].sum():,} due a call. Select a row to record a call.")
shown = privacy.people_view(rows, filters.deidentify).with_columns(
    pl.col("last_outcome").map_elements(followup_ui.outcome_label, return_dtype=pl.Utf8))
followup_ui.saved_notice()
picked = st.dataframe(
    shown.select("patient", "phone", "amount", "last_contact_date", "last_outcome",
                 "next_contact_date", "procedure_count", "codes", "oldest_diagnosed_date",
                 "last_visit_date", "next_appointment", "providers"),
    hide_index=True, width="stretch",
    key=f"unscheduled_table_{st.session_state.get('unscheduled_saves', 0)}",
    column_config={**ui.worklist_columns(), **followup_ui.followup_columns()},
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
