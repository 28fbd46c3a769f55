"""The follow-up log's widgets: the record-a-contact form, the overdue list, the tiles."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from caseboard import followups, privacy
from caseboard.followups import Contact, FollowupError
from caseboard.metrics import MetricParams
from caseboard.review import charts
from caseboard.review.format import count
from caseboard.review.format import month as month_name
from caseboard.review.registry import METRICS
from caseboard.storage import StorageError
from dashboard import data, ui

OUTCOME_LABELS = followups.OUTCOME_LABELS
REASON_LABELS = followups.REASON_LABELS
GONE = followups.GONE
outcome_label = followups.outcome_label


NOTICE = "followups_notice"


def saved_notice() -> None:
    """Say once, after the rerun that follows a save, that the contact was saved."""
    message = st.session_state.pop(NOTICE, None)
    if message:
        st.success(message, icon=":material/check:")


def team_members() -> dict[str | None, str]:
    """Team member id -> name for the form (None = not said)."""
    team = data.load_team()
    members = {} if team is None else dict(zip(team["member_id"], team["member_name"],
                                               strict=True))
    return {None: "(not said)", **members}


def history(patient: dict, deidentify: bool) -> None:
    """The patient's recorded contacts, newest first (notes hidden when de-identifying)."""
    log = data.load_followup_log().filter(
        (pl.col("source_id") == patient["source_id"])
        & (pl.col("patient_id") == patient["patient_id"]))
    if log.height == 0:
        st.caption("No contact recorded yet.")
        return
    shown = privacy.mask_notes(log.sort("contact_date", "followup_id", descending=True),
                               deidentify)
    st.dataframe(shown.select(
        pl.col("contact_date").alias("Date"),
        pl.col("outcome").replace_strict(OUTCOME_LABELS).alias("Outcome"),
        pl.col("reason").replace_strict(REASON_LABELS, default=None).alias("Reason"),
        pl.col("next_contact_date").alias("Next contact"),
        pl.col("note").alias("Note")), hide_index=True, width="stretch")


def record_form(patient: dict, shown_name: str, default_practice: str | None, key: str,
                saves_key: str) -> None:
    """A form recording one contact with ``patient`` (a call-list row): outcome, reason when
    declined, next-contact date, a short note, who called. Saving takes one click and counts
    up ``st.session_state[saves_key]`` (a table keyed by it drops its row selection)."""
    members = team_members()
    with st.form(f"{key}_form", clear_on_submit=True, border=True):
        st.markdown(f"**Record a contact with {shown_name}**")
        outcome = st.radio("Outcome", list(OUTCOME_LABELS), format_func=OUTCOME_LABELS.get,
                           horizontal=True, key=f"{key}_outcome")
        a, b, c, d = st.columns(4)
        reason = a.selectbox("Reason (when declined)", [None, *REASON_LABELS],
                             format_func=lambda r: "-" if r is None else REASON_LABELS[r],
                             key=f"{key}_reason")
        next_date = b.date_input("Next contact", value=None, key=f"{key}_next",
                                 help="Leave empty when no further call is planned.")
        day = c.date_input("Contact date", value=date.today(), key=f"{key}_date")
        member = d.selectbox("Called by", list(members), format_func=members.get,
                             key=f"{key}_member")
        note = st.text_input("Note", max_chars=followups.NOTE_LIMIT, key=f"{key}_note",
                             placeholder="Short note (patient data: kept out of exports "
                                         "and the report unless names are shown)")
        saved = st.form_submit_button("Save contact", type="primary",
                                      icon=":material/call:")
    if not saved:
        return
    contact = Contact(patient["source_id"], patient.get("practice_id") or default_practice or "",
                      patient["patient_id"], day, outcome,
                      reason if outcome == "declined" else None, next_date,
                      note.strip() or None, member)
    try:
        added = data.record_contact(contact)
    except FollowupError as error:
        st.error("The contact was not saved: " + "; ".join(error.problems))
    except StorageError as error:
        st.error(f"The contact was not saved: {error}")
    else:
        st.session_state[NOTICE] = ("Contact saved: it shows on the patient's row." if added
                                    else "That contact was already saved.")
        st.session_state[saves_key] = st.session_state.get(saves_key, 0) + 1
        st.rerun()


def overdue_block(params: MetricParams, deidentify: bool, key: str, limit: int = 10) -> None:
    """Overdue follow-ups as of A: how many, and the longest overdue first."""
    (latest,) = data.load_followup_views([("metric_followup_latest", params)])
    st.subheader("Overdue follow-ups", help=METRICS["followup_overdue"].definition)
    overdue = None if latest is None else latest.filter(pl.col("overdue"))
    if overdue is None or overdue.height == 0:
        st.caption("No follow-up is overdue.")
        return
    overdue = overdue.sort("next_contact_date", "source_id", "patient_id")
    shown = privacy.people_view(overdue, deidentify).with_columns(
        pl.when(pl.col("in_practice_data")).then(pl.col("patient"))
        .otherwise(pl.lit(GONE)).alias("patient"),
        pl.col("last_outcome").map_elements(outcome_label, return_dtype=pl.Utf8))
    st.caption(f"{count(overdue.height)} patients were due a call before the as-of date and have "
               "not been called or booked since. Select a row to record a call.")
    saves = f"{key}_saves"
    picked = st.dataframe(
        shown.head(limit).select("patient", "phone", "last_contact_date", "last_outcome",
                                 "next_contact_date", "days_overdue"),
        hide_index=True, width="stretch", key=f"{key}_{st.session_state.get(saves, 0)}",
        column_config=followup_columns(), on_select="rerun", selection_mode="single-row",
    )
    saved_notice()
    if picked.selection.rows:
        index = picked.selection.rows[0]
        patient = overdue.row(index, named=True)
        history(patient, deidentify)
        record_form(patient, shown["patient"][index], patient["practice_id"],
                    key=f"{key}_contact_{patient['source_id']}_{patient['patient_id']}",
                    saves_key=saves)


def followup_columns() -> dict:
    """Column labels and formats of the follow-up columns."""
    return {
        "patient": "Patient", "phone": "Phone",
        "last_contact_date": ui.date_column("Last contact"),
        "last_outcome": st.column_config.TextColumn("Outcome", width="medium"),
        "next_contact_date": ui.date_column("Next contact"),
        "days_overdue": st.column_config.NumberColumn("Days overdue", format="%d"),
    }


def measure_tiles(monthly: pl.DataFrame | None, overdue: pl.DataFrame | None,
                  month: date) -> None:
    """Tiles of the month holding A (team): contacts, patients, speed, recovered, overdue."""
    team = (pl.DataFrame() if monthly is None else
            monthly.filter(pl.col("is_team") & (pl.col("month") == month)))
    row = team.row(0, named=True) if team.height else {}
    overdue_now = (None if overdue is None or overdue.height == 0 else
                   overdue.filter(pl.col("is_team"))["overdue_patients"][0])
    cols = st.columns(5)
    values = [("followup_contacts", row.get("contacts")),
              ("followup_patients", row.get("patients_contacted")),
              ("followup_speed", row.get("speed_share")),
              ("followup_recovered", row.get("recovered_amount")),
              ("followup_overdue", overdue_now)]
    for col, (metric, value) in zip(cols, values, strict=True):
        with col:
            ui.tile(metric, None if value is None else float(value),
                    note=month_name(month) if metric != "followup_overdue" else "now")


def measures_section(params: MetricParams, as_of: date) -> None:
    """The Coordinator page's follow-up block: tiles of A's month, the monthly trend, the
    declined reasons and each team member's month."""
    monthly, overdue, reasons = data.load_followup_views([
        ("metric_followup_monthly", params), ("metric_followup_overdue", params),
        ("metric_followup_reasons", params)])
    st.subheader("Follow-ups", help="From the calls recorded on the Unscheduled treatment "
                                    "page's call list (or `caseboard followups import`).")
    month = as_of.replace(day=1)
    measure_tiles(monthly, overdue, month)
    left, right = st.columns([3, 2])
    with left:
        ui.plot(charts.followup_trend_chart(monthly if monthly is not None else pl.DataFrame()),
                "coordinator_followups")
    with right:
        team_reasons = (None if reasons is None else
                        reasons.filter(pl.col("is_team") & (pl.col("declined_count") > 0)))
        st.markdown("**Declined, by reason**", help=METRICS["followup_declined"].definition)
        if team_reasons is None or team_reasons.height == 0:
            st.caption("No declines recorded in this range.")
        else:
            st.dataframe(team_reasons.select(
                pl.col("reason").replace_strict(REASON_LABELS).alias("Reason"),
                pl.col("declined_count").alias("Contacts")), hide_index=True)
        members = (None if monthly is None else
                   monthly.filter(~pl.col("is_team") & (pl.col("month") == month)
                                  & (pl.col("contacts") > 0)))
        if members is not None and members.height:
            names = team_members()
            st.markdown(f"**By team member, {month_name(month)}**")
            st.dataframe(members.select(
                pl.col("team_member_id").replace_strict(names, default=pl.col("team_member_id"))
                .fill_null(names[None]).alias("Member"),
                pl.col("contacts").alias("Contacts"),
                pl.col("patients_contacted").alias("Patients"),
                pl.col("speed_share").alias("Within 7 days"),
                pl.col("recovered_amount").cast(pl.Float64).alias("Recovered")),
                hide_index=True,
                column_config={"Within 7 days": st.column_config.NumberColumn(format="percent"),
                               "Recovered": ui.money_column("Recovered")})
