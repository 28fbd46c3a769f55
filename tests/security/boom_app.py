"""A page that fails with patient data in its exception message, behind the real gate."""

import streamlit as st

from dashboard.auth import require_login

st.set_page_config(page_title="caseboard")
require_login()
st.write("before the failure")
raise ValueError("cannot parse row: Zorblaxia Quimbletonne 555-867-5309")
