"""A real Streamlit server (`caseboard serve`) driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from caseboard import metrics
from caseboard.review import periods
from caseboard.settings import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
PAGES = [
    ("weekly", "Weekly review", True),
    ("acceptance", "Case acceptance", True),
    ("unscheduled", "Unscheduled treatment", True),
    ("growth", "New patients and growth", True),
    ("collections", "Collections and A/R", True),
    ("coordinator", "Coordinator", True),
    ("data_page", "Data", False),
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: .ci/run must install chromium")
    pytest.skip("Debian's Chromium is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(two_practice_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """`caseboard serve --db ... --port ...` until the module's tests finish."""
    _require_chromium()
    port = _free_port()
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ, CASEBOARD_HOME=str(home), CASEBOARD_DEIDENTIFY="0")
    process = subprocess.Popen(
        [sys.executable, "-m", "caseboard.cli", "serve", "--db", str(two_practice_db),
         "--port", str(port)],
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
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(300)


def _screenshot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so grow the
    viewport to the content first."""
    script = ("() => { const b = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
              " return b ? b.getBoundingClientRect().height + 200 : document.body.scrollHeight; }")
    height, previous = page.evaluate(script), -1
    for _ in range(10):
        if height == previous:
            break
        page.wait_for_timeout(400)
        previous, height = height, page.evaluate(script)
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 40, 9000))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def _pdf_text(pdf: bytes, folder: Path) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but poppler-utils (pdftotext) is missing")
        pytest.skip("no pdftotext to read the report back")
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _patient_names(db: Path) -> list[str]:
    """Full names of everyone with unscheduled treatment on the default week's Sunday."""
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = metrics.default_as_of(con)
        sunday = periods.point_in_time(periods.last_complete_week(as_of), as_of)
        frame = metrics.query_view(con, "metric_unscheduled_worklist",
                                   metrics.MetricParams(as_of=sunday))
    names = zip(frame["first_name"], frame["last_name"], strict=True)
    return [f"{first} {last}" for first, last in names if first and last]


def test_every_page_filters_and_download(server: str, two_practice_db: Path,
                                         tmp_path: Path) -> None:
    """Each page draws its chart; the practice filter changes a tile; the weekly report PDF
    (initials only) and the call list download."""
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(server)
        _settle(page)
        for slug, title, has_chart in PAGES:
            page.get_by_role("link", name=title).first.click()
            _settle(page)
            expect(page.get_by_role("heading", name=title).first).to_be_visible()
            assert page.locator('[data-testid="stException"]').count() == 0, slug
            if has_chart:
                expect(page.locator(".main-svg").first).to_be_attached(timeout=30_000)
            _screenshot(page, SCREENSHOTS / f"{slug}.png")

        page.get_by_role("link", name="Weekly review").first.click()
        _settle(page)
        tile = page.locator('[data-testid="stMetricValue"]').first
        combined = tile.inner_text()
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Practice").click()
        page.get_by_role("option", name="p001").click()
        _settle(page)
        expect(tile).not_to_have_text(combined, timeout=30_000)
        with page.expect_download(timeout=90_000) as info:
            page.get_by_role("button", name="Download weekly report (PDF)").click()
        report = Path(info.value.path()).read_bytes()
        report_name = info.value.suggested_filename

        page.get_by_role("link", name="Unscheduled treatment").first.click()
        _settle(page)
        page.locator('[data-testid="stDataFrame"]').first.hover()
        page.wait_for_timeout(300)
        assert page.get_by_role("button", name="Download as CSV").count() == 0, (
            "Streamlit's own CSV export does not neutralise formulas: it must stay hidden")
        with page.expect_download() as info:
            page.get_by_role("button", name="Download call list (CSV)").click()
        content = Path(info.value.path()).read_text(encoding="utf-8")
        browser.close()
    assert report.startswith(b"%PDF"), report[:40]
    assert report_name.startswith("caseboard-week-") and report_name.endswith(".pdf")
    text = _pdf_text(report, tmp_path)
    assert "Weekly" in text or "week" in text.lower()
    names = _patient_names(two_practice_db)
    assert names, "the fixture has patients with unscheduled treatment"
    named = [name for name in names if name in text]
    assert named == [], "the PDF shows initials unless full names are asked for"
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["Patient", "Phone", "Unscheduled amount"]
    assert len(rows) > 1
    cells = [cell for row in rows[1:] for cell in row]
    risky = [cell for cell in cells if cell and cell[0] in "=+-@"]
    assert risky == [], "formula-like cells must be neutralised with a leading quote"
    quoted = [cell for cell in cells if cell.startswith("'")]
    assert all(cell[1:2] in ("=", "+", "-", "@", "\t", "\r") for cell in quoted), quoted
