"""Collections and A/R: production and collections by month, collection rate, A/R, claims."""

import polars as pl
import streamlit as st

from caseboard import privacy
from caseboard.review import actions, charts, compare, totals
from caseboard.review.format import MISSING, count, day, money
from dashboard import data, state, ui

filters = state.require_data()
params = filters.params()
production, ar, claims, claims_list, ar_list = data.load_views([
    ("metric_production_monthly", params), ("metric_ar_aging", params),
    ("metric_claims_outstanding", params), ("metric_claims_over_30", params),
    ("metric_ar_over_90", params),
])
if production is None:
    st.warning("The production views are not built yet: run `caseboard ingest` again.")
    st.stop()
# A list asked for in the address (the weekly review's links) is shown first, here.
asked = st.query_params.get("list")
first = st.container()
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

with first if asked == actions.CLAIMS_QUERY["list"] else st.container():
    st.subheader("Claims to chase: outstanding over 30 days", anchor="claims-to-chase",
                 help="Claims sent more than 30 days before the as-of date and not received back "
                      "by then, claim by claim, longest out first.")
    if not ui.missing(data.missing_table_message(filters.overview, "claims", "claims to chase")):
        if claims_list is None or claims_list.height == 0:
            st.caption("No claim is outstanding over 30 days.")
        else:
            no_carrier = claims_list["carrier"].null_count() == claims_list.height
            st.caption(f"{count(claims_list.height)} claims, "
                       f"{money(claims_list['billed_amount'].cast(float).sum())} billed, as of "
                       f"{day(filters.as_of)}." + (" Carrier not in the export." if no_carrier
                                                   else ""))
            st.dataframe(
                privacy.people_view(claims_list, filters.deidentify)
                .select(list(actions.CLAIM_COLUMNS))
                .with_columns(pl.col("carrier").fill_null(MISSING)),
                hide_index=True, width="stretch", key="collections_claims_table",
                column_config={**actions.CLAIM_COLUMNS,
                               "billed_amount": ui.money_column("Billed"),
                               **{c: ui.date_column(actions.CLAIM_COLUMNS[c])
                                  for c in ("service_date", "sent_date")}})
            st.download_button("Download claims to chase (CSV)",
                               actions.list_csv(claims_list, actions.CLAIM_COLUMNS,
                                                filters.deidentify),
                               file_name=f"claims-over-30-days-{filters.as_of}.csv",
                               mime="text/csv",
                               icon=":material/download:", key="collections_claims_download")

with first if asked == actions.BALANCES_QUERY["list"] else st.container():
    st.subheader("Balances to collect: A/R over 90 days", anchor="balances-to-collect",
                 help="Patients with charges more than 90 days old still open after their "
                      "payments paid the oldest charges first. Credit balances are never listed.")
    if ar_list is None or ar_list.height == 0:
        st.caption("No patient has A/R over 90 days.")
    else:
        st.caption(f"{count(ar_list.height)} patients, "
                   f"{money(ar_list['ar_91_plus'].cast(float).sum())} over 90 days, as of "
                   f"{day(filters.as_of)}.")
        st.dataframe(
            privacy.people_view(ar_list, filters.deidentify).select(list(actions.AR_COLUMNS)),
            hide_index=True, width="stretch", key="collections_ar_table",
            column_config={**actions.AR_COLUMNS, **{
                c: ui.money_column(actions.AR_COLUMNS[c])
                for c in ("balance", "ar_91_plus", "last_payment_amount")}, **{
                c: ui.date_column(actions.AR_COLUMNS[c])
                for c in ("oldest_open_charge", "last_payment_date")}})
        st.download_button("Download balances to collect (CSV)",
                           actions.list_csv(ar_list, actions.AR_COLUMNS, filters.deidentify),
                           file_name=f"ar-over-90-days-{filters.as_of}.csv", mime="text/csv",
                           icon=":material/download:", key="collections_ar_download")
