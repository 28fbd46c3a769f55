"""Cold start: from `caseboard serve` to the weekly review drawn in a real Chromium.

The browser is launched first (a user's browser is already open); the clock
starts when `caseboard serve` is started and stops when the weekly review shows
a metric tile or a Plotly chart. Each run starts a fresh server on a free port
and opens a fresh browser context. Prints one JSON line, with the CPU seconds
of the server and of Chromium when the tile was drawn (Linux /proc) and of the
server over its whole life (wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TILE = '[data-testid="stMetric"]'
CHART = ".main-svg"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(port: int, deadline: float) -> float | None:
    """Poll Streamlit's health endpoint; the monotonic time it first answered, or None."""
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return time.monotonic()
        except OSError:
            time.sleep(0.02)
    return None


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (Linux), or None."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU seconds used so far by a live process (Linux /proc), else None."""
    fields = _stat(pid)
    return None if fields is None else _cpu(fields)


def browser_cpu_seconds() -> float:
    """CPU seconds used so far by the live Chromium processes this script started."""
    parents, cpu = {}, {}
    for entry in Path("/proc").iterdir():
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields is None:
            continue
        parents[int(entry.name)] = int(fields[1])
        try:
            if b"chromium" in (entry / "cmdline").read_bytes():
                cpu[int(entry.name)] = _cpu(fields)
        except OSError:
            continue

    def ours(pid: int) -> bool:
        while pid > 1 and pid != os.getpid():
            pid = parents.get(pid, 0)
        return pid == os.getpid()

    return sum(seconds for pid, seconds in cpu.items() if ours(pid))


def stop(server: subprocess.Popen) -> float:
    """Stop the server's process group (SIGTERM, SIGKILL after 10 s); its lifetime CPU seconds."""
    os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while True:
        pid, status, usage = os.wait4(server.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(server.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(server.pid, 0)
            break
        time.sleep(0.02)
    server.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime


def one_run(browser, db: Path, home: str, timeout_s: float) -> dict:
    """Start a server, open the page, wait for the first tile or chart; stop the server."""
    port = free_port()
    env = dict(os.environ, CASEBOARD_HOME=home, CASEBOARD_DB=str(db))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    context = browser.new_context()
    page = context.new_page()
    browser_cpu = browser_cpu_seconds()
    start = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "caseboard.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        ready = wait_healthy(port, start + timeout_s)
        if ready is None:
            raise RuntimeError(f"the server did not answer within {timeout_s} s")
        page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
        first = page.wait_for_selector(f"{TILE}, {CHART}", state="visible",
                                       timeout=timeout_s * 1000)
        drawn = time.monotonic()
        cpu_drawn = cpu_seconds(server.pid)
        browser_drawn = browser_cpu_seconds() - browser_cpu
        selector = CHART if first.evaluate("e => e.classList.contains('main-svg')") else TILE
        try:
            page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
            chart = time.monotonic() - start
        except Exception:  # noqa: BLE001 - a page without a chart still counts its tiles
            chart = None
        result = {"total_s": round(drawn - start, 3), "server_ready_s": round(ready - start, 3),
                  "chart_s": None if chart is None else round(chart, 3), "selector": selector,
                  "server_cpu_drawn_s": None if cpu_drawn is None else round(cpu_drawn, 2),
                  "browser_cpu_drawn_s": round(browser_drawn, 2)}
    finally:
        context.close()
        cpu_total = stop(server)
    result["server_cpu_s"] = round(cpu_total, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure ``runs`` cold starts; print the median and every run."""
    parser = argparse.ArgumentParser(prog="bench/cold_start.py")
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    home = tempfile.mkdtemp(prefix="caseboard-bench-home-")
    runs = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(args.runs):
                runs.append(one_run(browser, args.db.resolve(), home, args.timeout))
        finally:
            browser.close()
    totals = [run["total_s"] for run in runs]
    print(json.dumps({
        "median_s": round(statistics.median(totals), 3),
        "runs": totals,
        "server_ready_s": round(statistics.median(r["server_ready_s"] for r in runs), 3),
        "chart_s": [r["chart_s"] for r in runs],
        "selector": runs[-1]["selector"],
        "server_cpu_drawn_s": [r["server_cpu_drawn_s"] for r in runs],
        "server_cpu_s": [r["server_cpu_s"] for r in runs],
        "browser_cpu_drawn_s": [r["browser_cpu_drawn_s"] for r in runs],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
