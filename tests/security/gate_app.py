"""A stand-in page behind the real gate (the router calls require_login the same way)."""

import streamlit as st

from dashboard.auth import require_login

st.set_page_config(page_title="caseboard")
require_login()
st.write("PATIENT-DATA-TOKEN")
