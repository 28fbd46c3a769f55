"""caseboard's dashboard router."""

import streamlit as st

from dashboard.auth import require_login

st.set_page_config(page_title="caseboard", layout="wide")
require_login()
st.title("caseboard")
st.write("The dashboard is being built. Load data with `caseboard ingest`.")
