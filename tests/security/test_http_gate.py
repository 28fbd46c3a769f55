"""With a password set, no patient data leaves over plain HTTP without a logged-in browser, and
parallel wrong passwords are throttled as if they came one after another (real server)."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request

import pytest

from caseboard import auth, http_gate
from tests.security.test_browser_access import (
    CHROMIUM,
    LAUNCH_ARGS,
    PASSWORD,
    PASSWORD_INPUT,
    _call_list,
    _require_chromium,
    _serve,
    _settle,
    _stop,
    sample,  # noqa: F401 - the module fixture
)

pytestmark = pytest.mark.browser


def _get(url: str, cookie: str | None = None) -> tuple[int, str]:
    """A plain HTTP GET (no browser): status and body."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


# --- the gate on its own -------------------------------------------------------------------

def _cookie_for(token: bytes) -> str:
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    return generate_xsrf_token_string(token, 1_700_000_000)


def _status(gate: http_gate.LoginGate, path: str, cookie: str | None = None) -> int:
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    gate.app = app
    headers = [(b"cookie", f"{http_gate.XSRF_COOKIE}={cookie}".encode())] if cookie else []
    asyncio.run(gate({"type": "http", "path": path, "headers": headers}, None, send))
    return sent[0]["status"]


def test_the_gate_lets_only_a_logged_in_connected_browser_through():
    active = {"s1"}
    fingerprint = {"now": "hash-1"}
    gate = http_gate.LoginGate(None, fingerprint=lambda: fingerprint["now"],
                               is_active=lambda session_id: session_id in active)
    mine, other = _cookie_for(b"A" * 32), _cookie_for(b"B" * 32)
    assert _status(gate, "/media/abc.csv") == 403  # no cookie at all
    assert _status(gate, "/media/abc.csv", mine) == 403  # a browser that never logged in
    http_gate.grant("s1", mine, "hash-1")
    assert _status(gate, "/media/abc.csv", mine) == 200
    assert _status(gate, "/media/abc.csv", _cookie_for(b"A" * 32)) == 200  # mask differs
    assert _status(gate, "/_stcore/metrics", other) == 403  # another browser
    assert _status(gate, "/_stcore/health") == 200 and _status(gate, "/") == 200  # no data
    fingerprint["now"] = "hash-2"  # the password changed: earlier logins no longer count
    assert _status(gate, "/media/abc.csv", mine) == 403
    fingerprint["now"] = "hash-1"
    active.clear()  # the browser closed: its session is gone
    assert _status(gate, "/media/abc.csv", mine) == 403
    active.add("s1")
    assert _status(gate, "/media/abc.csv", mine) == 403  # the closed session's grant is gone
    http_gate.grant("s1", mine, "hash-1")
    http_gate.revoke("s1")  # logout
    assert _status(gate, "/_stcore/upload_file/s1/f", mine) == 403
    fingerprint["now"] = None  # no login configured (loopback only): nothing to gate
    assert _status(gate, "/media/abc.csv") == 200


def test_gated_paths_respect_the_base_url():
    assert http_gate.is_gated("/media/x.csv")
    assert http_gate.is_gated("/cb/media/x.csv", "cb/")
    assert not http_gate.is_gated("/media/x.csv", "cb")
    assert not http_gate.is_gated("/_stcore/health")


# --- the real dashboard ----------------------------------------------------------------------

def test_call_list_download_needs_a_logged_in_browser(sample, tmp_path):  # noqa: F811
    _require_chromium()
    from playwright.sync_api import sync_playwright

    db, names, _ = sample
    auth.set_password(PASSWORD, tmp_path)
    server, url = _serve(db, tmp_path)
    try:
        status, body = _get(url + "/_stcore/metrics")
        assert status == 403, body[:200]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
            page.goto(url)
            page.locator(PASSWORD_INPUT).wait_for(timeout=60_000)
            _settle(page)
            page.locator(PASSWORD_INPUT).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
            _settle(page)
            with page.expect_download() as info:
                listing = _call_list(page)
            media_url = info.value.url
            assert "/media/" in media_url
            assert [n for n in names if n.split()[-1] in listing]  # the file names patients

            # the logged-in browser itself may fetch it again (its cookies go along)
            again = page.request.get(media_url)
            assert again.status == 200 and again.text() == listing
            # a plain HTTP client without the browser's cookies may not
            status, body = _get(media_url)
            assert status == 403
            assert not [n for n in names if n.split()[-1] in body]
            # nor with a cookie of its own making
            forged = f"{http_gate.XSRF_COOKIE}={_cookie_for(b'Z' * 32)}"
            assert _get(media_url, forged)[0] == 403
            assert _get(url + "/_stcore/metrics", forged)[0] == 403

            page.get_by_role("button", name="Log out").click()
            page.locator(PASSWORD_INPUT).wait_for(timeout=60_000)
            _settle(page)
            assert page.request.get(media_url).status == 403  # logged out: gone too
            browser.close()
        assert _get(media_url)[0] == 403  # and after the browser closed
    finally:
        _stop(server)


def test_parallel_wrong_passwords_cost_what_sequential_ones_do(sample, tmp_path):  # noqa: F811
    _require_chromium()
    from playwright.async_api import async_playwright

    db, _, _ = sample
    auth.set_password(PASSWORD, tmp_path)
    server, url = _serve(db, tmp_path)
    tries = 10

    async def run() -> list[str]:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            pages = [await (await browser.new_context()).new_page() for _ in range(tries)]
            for page in pages:
                await page.goto(url)
                await page.locator(PASSWORD_INPUT).wait_for(timeout=90_000)
                await page.locator(PASSWORD_INPUT).fill("not the password")
            buttons = [page.get_by_role("button", name="Log in") for page in pages]
            started = time.monotonic()
            await asyncio.gather(*(button.click() for button in buttons))
            shown = []
            for page in pages:
                alert = page.locator('[data-testid="stAlert"]').first
                await alert.wait_for(timeout=90_000)
                shown.append(await alert.inner_text())
            elapsed = time.monotonic() - started
            await browser.close()
            return shown, elapsed

    try:
        shown, elapsed = asyncio.run(run())
    finally:
        _stop(server)
    checked = [text for text in shown if "Wrong password" in text]
    refused = [text for text in shown if "Too many attempts" in text]
    assert len(checked) + len(refused) == tries, shown
    # One after another, the server's global throttle (5 free, then 1 s doubling) lets
    # failures 1..5 through at once and failure 6 locks everyone for 1 s; failure 7 can only
    # be checked 1 s later, failure 8 after 2 s more, failure 9 after 4 more: checking k >= 7
    # guesses takes at least 1 + 2 + ... + 2**(k-7) s. Sent at once they must cost the same
    # (before, all 10 were checked in a few seconds instead of the 15 s owed).
    owed = sum(auth.GLOBAL_THROTTLE.delay_for(failure) for failure in range(6, len(checked)))
    assert elapsed >= owed, (elapsed, shown)
    assert refused, shown  # a burst of 10 hits the lock: some are refused unchecked
