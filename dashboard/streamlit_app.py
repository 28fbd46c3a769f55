"""caseboard's dashboard router: page config, login, shared filters, navigation."""

from pathlib import Path

import streamlit as st

from dashboard.auth import require_login
from dashboard.state import sidebar_filters

# Patient lists leave the app only through our formula-safe CSV downloads. `caseboard serve`
# sets the option at start; run any other way, the option
# reaches the browser with the next run's session message, so the first run reruns once.
if not st.get_option("client.disableDataExport"):
    st.set_option("client.disableDataExport", True)
    st.rerun()
# The tab icon ships with the app: a ":material/...:" page icon makes the browser fetch it
# from Google's font CDN (offline that fails, online it tells a third party the app was opened).
ICON = Path(__file__).with_name("assets") / "icon.svg"
st.set_page_config(page_title="caseboard", page_icon=str(ICON), layout="wide")
require_login()

PAGES = [
    st.Page("app_pages/weekly.py", title="Weekly review", icon=":material/today:", default=True),
    st.Page("app_pages/acceptance.py", title="Case acceptance", icon=":material/handshake:"),
    st.Page("app_pages/unscheduled.py", title="Unscheduled treatment",
            icon=":material/event_busy:"),
    st.Page("app_pages/growth.py", title="New patients and growth", icon=":material/group_add:"),
    st.Page("app_pages/collections.py", title="Collections and A/R", icon=":material/payments:"),
    st.Page("app_pages/coordinator.py", title="Coordinator", icon=":material/support_agent:"),
    st.Page("app_pages/data_page.py", title="Data", icon=":material/database:"),
]

page = st.navigation(PAGES)
sidebar_filters()
st.title(page.title)
page.run()
