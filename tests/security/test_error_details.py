"""A failing page on the real server shows no exception text, and the console log withholds it."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from caseboard.commands.serve import streamlit_command
from caseboard.settings import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
APP = Path(__file__).with_name("boom_app.py")
TOKENS = ("Zorblaxia", "Quimbletonne", "867-5309")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_exception_text_reaches_neither_browser_nor_console(tmp_path):
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing")
        pytest.skip("Debian's Chromium is not installed")
    from playwright.sync_api import sync_playwright

    port = _free_port()
    command = streamlit_command("127.0.0.1", port, 10)
    command[command.index("run") + 1] = str(APP)  # serve's exact options, our failing page
    env = dict(os.environ, CASEBOARD_HOME=str(tmp_path),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    log = tmp_path / "server.log"
    with open(log, "w") as sink:
        server = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=sink, stderr=sink)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("streamlit did not become healthy:\n" + log.read_text()[-2000:])
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("text=before the failure", timeout=60_000)
            page.wait_for_selector('[data-testid="stException"]', timeout=60_000)
            shown = page.content()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    console = log.read_text()
    assert [t for t in TOKENS if t in shown] == []
    assert "ValueError" not in shown  # showErrorDetails=none hides even the type
    assert "ValueError: [message withheld]" in console  # the console keeps the type and frames
    assert [t for t in TOKENS if t in console] == [], console[-2000:]
