"""The real dashboard on a real server: password gate, logout, network refusal, --deidentify."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import duckdb
import pytest

from caseboard import auth

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PASSWORD = "office passphrase 7"
PASSWORD_INPUT = 'input[aria-label="Password"]'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing")
    pytest.skip("Debian's Chromium is not installed")


def _serve(db: Path, home: Path, *extra: str):
    port = _free_port()
    env = dict(os.environ, CASEBOARD_HOME=str(home))
    env.pop("CASEBOARD_DEIDENTIFY", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "caseboard.cli", "serve", "--db", str(db), "--port", str(port),
         *extra],
        env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("caseboard serve did not become healthy")
            time.sleep(0.3)


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def _settle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(300)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample generator's practice loaded, and its patients' last names and phones."""
    from caseboard.sample import generate
    from pipelines.ingest import ingest_paths

    root = tmp_path_factory.mktemp("access")
    generate(root / "export", practices=1, months=6, seed=11)
    db = root / "db.duckdb"
    ingest_paths([root / "export"], db=db)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.sql(
            "select first_name || ' ' || last_name, phone from stg_patients"
        ).fetchall()
    names = {r[0] for r in rows if r[0]}
    phones = {r[1] for r in rows if r[1]}
    return db, names, phones


def test_serve_off_loopback_without_password_is_refused(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "caseboard.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=dict(os.environ, CASEBOARD_HOME=str(tmp_path), HOME=str(tmp_path)),
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert "refusing to serve on 0.0.0.0" in done.stderr


def _call_list(page) -> str:
    """Open the unscheduled page from the sidebar, download its call list, return its text."""
    page.get_by_role("link", name="Unscheduled treatment").first.click()
    button = page.get_by_role("button", name="Download call list (CSV)")
    button.wait_for(timeout=90_000)
    _settle(page)
    with page.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_password_gate_on_the_real_dashboard(sample, tmp_path):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    db, names, _ = sample
    auth.set_password(PASSWORD, tmp_path)
    server, url = _serve(db, tmp_path)
    try:
        # plain HTTP gets only the app shell, static files and health: no patient data
        for path in ("/", "/unscheduled", "/_stcore/health", "/_stcore/host-config",
                     "/app/static/x.csv", "/media/x"):
            try:
                with urllib.request.urlopen(url + path, timeout=30) as response:
                    body = response.read().decode("utf-8", "replace")
            except urllib.error.HTTPError as error:
                body = error.read().decode("utf-8", "replace")
            assert not [n for n in names if n in body], path
        upload = urllib.request.Request(url + "/_stcore/upload_file/s/f", data=b"x", method="PUT")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(upload, timeout=30)
        assert refused.value.code in (400, 403, 404, 405)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
            for path in ("", "/unscheduled", "/coordinator", "/data_page"):
                page.goto(url + path)
                page.wait_for_selector('input[type="password"]', timeout=60_000)
                _settle(page)
                assert page.locator(PASSWORD_INPUT).count() == 1, path
                body = page.inner_text("body")
                assert "Weekly review" not in body and "Unscheduled amount" not in body, path
                assert not [n for n in names if n in body], path

            page.locator(PASSWORD_INPUT).fill("not the password")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_selector("text=Wrong password", timeout=60_000)
            time.sleep(1.2)  # the first failure locks this session for 1 s

            page.locator(PASSWORD_INPUT).fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("button", name="Log out").wait_for(timeout=60_000)
            page.locator(PASSWORD_INPUT).wait_for(state="detached", timeout=60_000)
            page.get_by_role("heading", name="Weekly review").first.wait_for(timeout=60_000)
            _settle(page)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "Weekly review" in page.inner_text("body")

            # the control for the --deidentify test: logged in, the call list names patients
            listing = _call_list(page)  # a reload would start a new session: use the links
            assert [n for n in names if n.split()[-1] in listing]

            page.get_by_role("button", name="Log out").click()
            page.wait_for_selector('input[type="password"]', timeout=60_000)
            _settle(page)
            assert page.locator(PASSWORD_INPUT).count() == 1
            assert "Weekly review" not in page.inner_text("[data-testid='stMain']")
            browser.close()
    finally:
        _stop(server)


def test_deidentify_hides_names_and_phones_on_every_page(sample, tmp_path):
    _require_chromium()
    from playwright.sync_api import sync_playwright

    db, names, phones = sample
    server, url = _serve(db, tmp_path, "--deidentify")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900}, accept_downloads=True)
            page.goto(url)
            page.locator("h1").first.wait_for(timeout=60_000)
            listing = _call_list(page)
            assert len(listing.splitlines()) > 1
            assert not [n for n in names if n.split()[-1] in listing]
            assert not [ph for ph in phones if ph in listing]
            for path in ("", "/unscheduled", "/coordinator", "/acceptance", "/data_page"):
                page.goto(url + path)
                page.locator("h1").first.wait_for(timeout=60_000)
                _settle(page)
                text = page.content()
                assert page.locator('[data-testid="stException"]').count() == 0, path
                assert not [n for n in names if n in text], path
                assert not [ph for ph in phones if ph in text], path
            browser.close()
    finally:
        _stop(server)
