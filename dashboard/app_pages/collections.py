"""Collections and A/R: production and collections by month, collection rate, A/R, claims."""

import streamlit as st

from caseboard.review import charts, compare, totals
from caseboard.review.format import count, day, money
from dashboard import data, state, ui

filters = state.require_data()
params = filters.params()
production, ar, claims = data.load_views([
    ("metric_production_monthly", params), ("metric_ar_aging", params),
    ("metric_claims_outstanding", params),
])
if production is None:
    st.warning("The production views are not built yet: run `caseboard ingest` again.")
    st.stop()
ui.definitions("gross_production", "adjustments", "net_production", "collections",
               "collection_rate", "ar_total", "ar_91_plus", "credit_balances",
               "claims_outstanding")
sums = totals.production_totals(production)
cols = st.columns(4)
with cols[0]:
    ui.tile("gross_production", sums["gross_production"], note="months shown")
with cols[1]:
    ui.tile("net_production", sums["net_production"],
            note=f"after {money(sums['adjustments'])} adjustments")
with cols[2]:
    ui.tile("collections", sums["collections"], note="months shown")
with cols[3]:
    ui.tile("collection_rate", sums["collection_rate"],
            note="months shown, benchmark 98%")
for table, what in [("payments", "collections"), ("adjustments", "adjustments")]:
    ui.missing(data.missing_table_message(filters.overview, table, what))
ui.plot(charts.production_chart(production), "collections_production")
ui.plot(charts.collection_rate_chart(production), "collections_rate")

if filters.compare:
    by_practice = compare.production_by_practice(
        data.load_by_practice("metric_production_monthly", params, filters.practices))
    left, right = st.columns(2)
    with left:
        ui.plot(charts.comparison_chart(by_practice, "collections", "Collections"),
                "collections_compare")
    with right:
        ui.plot(charts.comparison_chart(by_practice, "collection_rate", "Collection rate",
                                        "percent"), "collections_compare_rate")

ar_row = ar.row(0, named=True) if ar is not None and ar.height else {}
claims_row = claims.row(0, named=True) if claims is not None and claims.height else {}
left, right = st.columns(2)
with left:
    st.subheader("Accounts receivable")
    st.caption(f"As of {day(filters.as_of)}.")
    a, b = st.columns(2)
    with a:
        ui.tile("ar_total", ar_row.get("total"))
    with b:
        ui.tile("credit_balances", ar_row.get("credit_balances"))
    ui.plot(charts.aging_chart(ar_row, charts.AR_BUCKETS, "A/R by age of charge"), "collections_ar")
with right:
    st.subheader("Outstanding insurance claims")
    if not ui.missing(data.missing_table_message(filters.overview, "claims", "claims aging")):
        a, b = st.columns(2)
        with a:
            ui.tile("claims_outstanding", claims_row.get("amount"))
        with b:
            ui.plain_tile("Claims", count(claims_row.get("count") or 0))
        ui.plot(charts.aging_chart(claims_row, charts.CLAIM_BUCKETS, "Claims by days since sent"),
                "collections_claims")
