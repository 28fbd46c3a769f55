"""Start `caseboard serve` on a free port for browser tests, and wait on real conditions."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip without Debian's Chromium (fail under CI=true)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install chromium")
    pytest.skip("Debian's Chromium is not installed")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, home: Path, **env_changes: str) -> Iterator[str]:
    """`caseboard serve --db DB` on a free port until the block ends; yields its URL."""
    require_chromium()
    port = free_port()
    env = dict(os.environ, CASEBOARD_HOME=str(home), CASEBOARD_DEIDENTIFY="0", **env_changes)
    process = subprocess.Popen(
        [sys.executable, "-m", "caseboard.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("caseboard serve did not become healthy within 60 s")
        time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(300)
