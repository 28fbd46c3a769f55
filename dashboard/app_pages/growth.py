"""New patients and growth: new patients per month, referral sources, active patients."""

import streamlit as st

from caseboard.review import charts
from caseboard.review.format import day
from dashboard import data, state, ui

filters = state.require_data()
params = filters.params()
monthly, referral, active, readiness = data.load_views([
    ("metric_new_patients_monthly", params), ("metric_new_patients_by_referral", params),
    ("metric_active_patients_monthly", params), ("metric_readiness", params),
])
if monthly is None:
    st.warning("The new-patient views are not built yet: run `caseboard ingest` again.")
    st.stop()
ui.definitions("new_patients", "new_patients_avg_3m", "active_patients")
ready = readiness.row(0, named=True) if readiness is not None and readiness.height else {}
cols = st.columns(3)
with cols[0]:
    ui.tile("new_patients", float(monthly["count"].sum() or 0), note="months shown")
with cols[1]:
    ui.tile("new_patients_avg_3m", ready.get("new_patients_avg_3m"),
            note="the 3 complete months before the as-of month")
with cols[2]:
    ui.tile("active_patients", ready.get("active_patients"),
            note=f"as of {day(filters.as_of)}")
ui.plot(charts.new_patients_chart(monthly), "growth_new_patients")
left, right = st.columns(2)
if filters.deidentify and referral is not None:
    referral = data.deidentify_labels(referral, "referral_source")
with left:
    ui.plot(charts.referral_chart(referral), "growth_referral")
with right:
    ui.plot(charts.active_patients_chart(active, ready.get("ready_active")), "growth_active")
