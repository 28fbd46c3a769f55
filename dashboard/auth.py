"""The login gate every page passes before it renders.

``require_login()`` runs right after ``st.set_page_config`` in the router. No
page script (and so no patient data) runs until it returns:

* a password is configured (``caseboard set-password``): a password form, with
  an exponential lockout after wrong passwords (per session and per process);
* else OpenID Connect is configured (.streamlit/secrets.toml [auth]): st.login;
* else the server must be bound to loopback, or nothing is shown (AppTest,
  which serves no HTTP, passes).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from caseboard import http_gate, logsafe
from caseboard.auth import (
    GLOBAL_THROTTLE,
    AuthConfigError,
    Throttle,
    attempt_login,
    auth_method,
    client_throttle,
    is_loopback,
    password_fingerprint,
    password_hash,
)

SESSION_KEY = "caseboard_auth"
THROTTLE_KEY = "caseboard_auth_throttle"


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return None if ctx is None else ctx.session_id


def _grant_downloads(fingerprint: str) -> None:
    """Let this browser fetch the session's downloads (caseboard.http_gate) while logged in."""
    session_id = _session_id()
    if session_id is not None:
        http_gate.grant(session_id, st.context.cookies.get(http_gate.XSRF_COOKIE), fingerprint)


def _revoke_downloads() -> None:
    session_id = _session_id()
    if session_id is not None:
        http_gate.revoke(session_id)


def _logout() -> None:
    _revoke_downloads()
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def _sidebar_logout(label: str = "Log out") -> None:
    st.sidebar.button(label, key="caseboard_logout", on_click=_logout)


def _password_gate(hashed: str) -> None:
    fingerprint = password_fingerprint(hashed)
    if st.session_state.get(SESSION_KEY) == fingerprint:
        _grant_downloads(fingerprint)
        _sidebar_logout()
        return
    _revoke_downloads()
    throttle = st.session_state.setdefault(THROTTLE_KEY, Throttle(base=1.0, cap=300.0))
    st.title("caseboard")
    with st.form("caseboard_login", clear_on_submit=True):
        password = st.text_input("Password", type="password", key="caseboard_password")
        submitted = st.form_submit_button("Log in")
    if submitted:
        attempt = attempt_login(password or "", hashed, throttle, GLOBAL_THROTTLE,
                                client_throttle(st.context.ip_address))
        if attempt.accepted:
            st.session_state[SESSION_KEY] = fingerprint
            st.rerun()
        if not attempt.checked:
            st.error(f"Too many attempts: try again in {attempt.wait:.0f} s "
                     "(the password was not checked).")
        elif attempt.wait > 0:
            st.error(f"Wrong password: try again in {attempt.wait:.0f} s.")
        else:
            st.error("Wrong password.")
    st.stop()


def _oidc_logout() -> None:
    _revoke_downloads()
    st.logout()


def _oidc_gate() -> None:
    if st.user.is_logged_in:
        _grant_downloads("oidc")
        st.sidebar.button("Log out", key="caseboard_logout", on_click=_oidc_logout)
        return
    _revoke_downloads()
    st.title("caseboard")
    st.button("Log in", on_click=st.login)
    st.stop()


def _served_over_http() -> bool:
    """True in a real server session (AppTest sessions carry no HTTP headers)."""
    return bool(st.context.headers)


def require_login() -> None:
    """Stop the script run unless the visitor may see the dashboard."""
    logsafe.install()
    try:
        method = auth_method()
        hashed = password_hash() if method == "password" else None
    except AuthConfigError as error:
        st.error(f"Login is misconfigured: {error}")
        st.stop()
    if hashed is not None:
        _password_gate(hashed)
        return
    if method == "oidc":
        _oidc_gate()
        return
    if _served_over_http() and not is_loopback(st.get_option("server.address")):
        st.error(
            "This dashboard is reachable from the network but no login is configured. "
            "Run `caseboard set-password`, or serve on 127.0.0.1."
        )
        st.stop()
