"""The login gate for Streamlit's plain HTTP paths that can carry patient data.

Pages reach the browser over the session's websocket, behind ``require_login``.
Three paths do not: ``/media/<id>`` (every ``st.download_button`` file, such as
the call list), ``/_stcore/upload_file/...`` and ``/_stcore/metrics``. Any
client that knows a media URL could fetch it, even after the browser closed.

When a login is configured, ``LoginGate`` (installed into Streamlit's server by
``install()``, which ``caseboard serve``'s launcher calls) answers 403 on those
paths unless the request carries the browser token (Streamlit's XSRF cookie,
set for the page) of a session that is still connected and passed the login for
the current password. The page grants its session after the login
(``grant``) and revokes it on logout (``revoke``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie

from caseboard.auth import AuthConfigError, login_fingerprint

XSRF_COOKIE = "_streamlit_xsrf"
GATED_PREFIXES = ("/media/", "/_stcore/upload_file/", "/_stcore/metrics")
_GRANTS: dict[str, tuple[bytes, str]] = {}
"""Session id -> (browser token, login fingerprint) of sessions that passed the login."""
_LOCK = threading.Lock()


def browser_token(cookie_value: str | None) -> bytes | None:
    """The token inside Streamlit's XSRF cookie value (its mask and timestamp removed)."""
    if not cookie_value:
        return None
    from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

    token, _timestamp = decode_xsrf_token_string(cookie_value)
    return token or None


def grant(session_id: str, cookie_value: str | None, fingerprint: str) -> None:
    """Let the browser of ``session_id`` fetch the gated paths while the session lasts."""
    token = browser_token(cookie_value)
    with _LOCK:
        if token is None:
            _GRANTS.pop(session_id, None)
        else:
            _GRANTS[session_id] = (token, fingerprint)


def revoke(session_id: str) -> None:
    """Forget the grant of ``session_id`` (logout)."""
    with _LOCK:
        _GRANTS.pop(session_id, None)


def allowed(cookie_value: str | None, fingerprint: str,
            is_active: Callable[[str], bool]) -> bool:
    """True when a connected session of this browser passed the login for ``fingerprint``."""
    token = browser_token(cookie_value)
    if token is None:
        return False
    with _LOCK:
        grants = list(_GRANTS.items())
    stale = []
    found = False
    for session_id, (granted, granted_for) in grants:
        if not is_active(session_id):
            stale.append(session_id)
        elif granted == token and granted_for == fingerprint:
            found = True
    with _LOCK:
        for session_id in stale:
            _GRANTS.pop(session_id, None)
    return found


def is_gated(path: str, base_url: str = "") -> bool:
    """True for the HTTP paths that need a logged-in browser when a login is configured."""
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    if base:
        if not path.startswith(base + "/"):
            return False
        path = path[len(base):]
    return path.startswith(GATED_PREFIXES)


def _cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
            if name in jar:
                return jar[name].value
    return None


class LoginGate:
    """ASGI middleware: 403 on the gated paths unless the browser's session passed the login."""

    def __init__(self, app, fingerprint: Callable[[], str | None] = login_fingerprint,
                 is_active: Callable[[str], bool] | None = None) -> None:
        self.app = app
        self.fingerprint = fingerprint
        self.is_active = is_active

    def _active(self, session_id: str) -> bool:
        if self.is_active is not None:
            return self.is_active(session_id)
        from streamlit.runtime import Runtime

        return Runtime.exists() and Runtime.instance().is_active_session(session_id)

    def _permits(self, scope) -> bool:
        from streamlit import config

        if not is_gated(scope.get("path", ""), config.get_option("server.baseUrlPath") or ""):
            return True
        try:
            fingerprint = self.fingerprint()
        except AuthConfigError:
            return False
        if fingerprint is None:
            return True
        cookie = _cookie(scope.get("headers", []), XSRF_COOKIE)
        return allowed(cookie, fingerprint, self._active)

    async def __call__(self, scope, receive, send) -> None:
        """Pass the request on, or answer 403 for a gated path without a logged-in browser."""
        if scope["type"] != "http" or self._permits(scope):
            await self.app(scope, receive, send)
            return
        body = b"Log in to caseboard first.\n"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": body})


def install() -> None:
    """Put LoginGate in front of Streamlit's own middleware in the server it is about to build."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "caseboard_gate", False):
        return

    def with_gate() -> list[Middleware]:
        return [Middleware(LoginGate), *original()]

    with_gate.caseboard_gate = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = with_gate
