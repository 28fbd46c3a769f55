"""Data: upload an export, load history, quarantined rows, data-health checks, reconciliation."""

import polars as pl
import streamlit as st

from caseboard.review import periods
from caseboard.review.format import count, day, load_time
from dashboard import data, state

filters = state.current()
limit_mb = data.upload_limit_bytes() // (1024 * 1024)

st.subheader("Load an export")
st.caption(
    "The standard format: one file per table (patients and procedures required; team, "
    "treatment_plans, appointments, payments, adjustments and claims optional), as .csv, .txt, "
    f".xlsx or .parquet, or one .zip of them. Up to {count(limit_mb)} MB; bigger exports load with "
    "`caseboard ingest PATH`."
)
with st.form("data_upload", clear_on_submit=True):
    uploads = st.file_uploader("Export files", accept_multiple_files=True,
                               type=["csv", "txt", "xlsx", "parquet", "zip"], key="data_files")
    left, right = st.columns(2)
    practice = left.text_input("Practice id (if the files have no practice_id column)",
                               key="data_practice")
    full = right.checkbox("Full export (rows missing from it are removed)", key="data_full")
    submitted = st.form_submit_button("Load", icon=":material/upload:")
if submitted and uploads:
    bar = st.progress(0.0, text="Reading the export…")

    def report(step: str, done: int, total: int) -> None:
        """Move the progress bar as the loader reports its steps."""
        bar.progress(min(done / total, 1.0) if total else 0.0, text=step)

    try:
        summary = data.ingest_uploads(uploads, practice_id=practice.strip() or None, full=full,
                                      progress=report)
    except Exception as error:  # noqa: BLE001 - every refusal is shown, nothing is loaded
        bar.empty()
        rejects = getattr(error, "rejects", [])
        if rejects:  # each reason once (the error's own text joins the same reasons)
            st.error(data.shown_text("Nothing was loaded:\n" + "\n".join(
                f"- {reject.reason}" for reject in rejects[:50]), filters.deidentify))
        else:
            st.error(data.shown_text(f"Nothing was loaded: {error}", filters.deidentify))
    else:
        bar.progress(1.0, text="Done")
        if summary.unchanged:
            st.info("This export is the same as the last one loaded: nothing changed.")
        else:
            st.success(f"Loaded batch {summary.batch_id} for {', '.join(summary.practices)}.")
        st.dataframe(data.summary_frame(summary), hide_index=True)
        if summary.rejects:
            st.warning(f"{count(len(summary.rejects))} rows were quarantined; see below.")
        for note in summary.notes:
            st.caption(note)
elif submitted:
    st.warning("Choose the export's files first.")

if filters.overview is None:
    st.info("Nothing is loaded yet: upload an export above, or run `caseboard ingest PATH`.")
    st.stop()

st.subheader("Load history")
sync_status = data.load_sync_status()
if sync_status["last_refreshed"] is not None:
    done = sync_status["last_refreshed"]
    st.caption(f"Last refreshed **{done['finished_at']} UTC** by the scheduled load "
               f"({done['load']}: {done['status']}).")
if sync_status["last_email"] is not None and sync_status["last_email"]["status"] == "sent":
    sent = sync_status["last_email"]
    st.caption(f"Weekly report last e-mailed **{sent['finished_at']} UTC** to "
               f"{sent['recipients']} recipient(s).")
if sync_status["last_failure"] is not None:
    failed = sync_status["last_failure"]
    done = sync_status["last_refreshed"]
    show = st.error if done is None or failed["finished_at"] >= done["finished_at"] else st.caption
    show(f"Last failure of a scheduled load or e-mail: **{failed['finished_at']} UTC** "
         f"({failed['load']}): {failed['error']}")
loads = data.load_loads().drop("counts").with_columns(
    pl.col(column).map_elements(load_time, return_dtype=pl.Utf8)
    for column in ("started_at", "finished_at")
)
st.dataframe(loads, hide_index=True, width="stretch",
             column_config={"batch_id": "Batch", "source_id": "Source", "format": "Format",
                            "practices": "Practices", "full_export": "Full",
                            "started_at": "Started", "finished_at": "Finished",
                            "unchanged": "Unchanged", "rejected_rows": "Quarantined"})

st.subheader("Quarantined rows")
rejects = data.load_rejects()
if rejects is None or rejects.height == 0:
    st.caption("No rows were refused.")
else:
    if filters.deidentify:
        rejects = data.mask_patient_values(rejects)
    st.dataframe(rejects, hide_index=True, width="stretch",
                 column_config={"batch_id": "Batch", "table_name": "Table", "file_name": "File",
                                "row_number": "Row", "row_key": "Key", "column_name": "Column",
                                "value": "Value", "reason": "Reason"})

st.subheader("Data health")
warnings = data.load_warnings()
for warning in [] if warnings is None else warnings.iter_rows(named=True):
    st.warning(f"**Load warning** (source {warning['source_id']}, batch {warning['batch_id']}): "
               f"{warning['warning']}")
health = data.load_view("dashboard_data_health", filters.params())
if health is not None:
    passed = []
    for check in health.iter_rows(named=True):
        amount = f" ({data.money_text(check['amount'])})" if check["amount"] else ""
        if check["row_count"]:
            st.warning(f"**{check['check_name']}**: {count(check['row_count'])} rows in "
                       f"{check['table_name']}{amount}. {check['consequence']}")
        else:
            passed.append(check["check_name"])
    if passed:
        st.success("Checked, none found: " + "; ".join(name.lower() for name in passed) + ".",
                   icon=":material/check:")
for table in data.OPTIONAL_TABLES:
    if filters.overview.table_counts.get(table, 0) == 0:
        st.info(f"No {table.replace('_', ' ')} loaded ({data.OPTIONAL_TABLES[table]}): "
                "the figures that need it stay empty.")

if filters.month_from is not None:
    date_from, date_to = periods.month_range_dates(filters.month_from, filters.month_to,
                                                   filters.as_of)
    reconciliation = data.load_reconciliation(date_from, date_to, filters.practice_id)
    if reconciliation is not None:
        st.subheader("Reconciliation with Open Dental")
        st.caption(f"{day(date_from)} to {day(date_to)}: caseboard's totals beside "
                   "what Open Dental's own reports show, and why they differ.")
        st.dataframe(reconciliation, hide_index=True, width="stretch")
