"""Record a call from the call list in Debian's Chromium: the row shows it, the log holds it,
and the Coordinator page counts it. Screenshots under artifacts/screenshots/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from caseboard import followups, metrics
from tests.browser.test_browser import (
    CHROMIUM,
    LAUNCH_ARGS,
    SCREENSHOTS,
    _free_port,
    _require_chromium,
    _screenshot,
    _settle,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def served(two_practice_db: Path, tmp_path: Path):
    """A private copy of the sample (the log is written beside it) behind `caseboard serve`."""
    _require_chromium()
    db = tmp_path / "calls.duckdb"
    shutil.copyfile(two_practice_db, db)
    port = _free_port()
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, CASEBOARD_HOME=str(home), CASEBOARD_DEIDENTIFY="0")
    process = subprocess.Popen(
        [sys.executable, "-m", "caseboard.cli", "serve", "--db", str(db), "--port", str(port)],
        env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    yield url, db
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _type_date(page, form, label: str, day) -> None:
    """Type a date into Streamlit's segmented date field (month, day, year segments)."""
    for part, text in (("month", f"{day:%m}"), ("day", f"{day:%d}"), ("year", f"{day:%Y}")):
        form.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(text)
    page.keyboard.press("Tab")


def test_record_a_call_on_the_call_list(served) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, db = served
    with duckdb.connect(str(db), read_only=True) as con:
        as_of = metrics.default_as_of(con)
        # the page's first row: the call list in its default (workability) order
        worklist = metrics.query_view(con, "metric_call_list", metrics.MetricParams())
    top = worklist.filter(worklist["amount"] > 0).row(0, named=True)
    name = f"{top['first_name']} {top['last_name']}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        _settle(page)
        page.get_by_role("link", name="Unscheduled treatment").first.click()
        _settle(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        # the first row's selection box: left edge, below the header row (35 px rows)
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
        _settle(page)
        expect(page.get_by_text(f"Record a contact with {name}")).to_be_visible(timeout=30_000)
        form = page.locator('[data-testid="stForm"]')
        form.get_by_text("Left message", exact=True).click()
        _type_date(page, form, "Contact date", as_of)
        _type_date(page, form, "Next contact", as_of.replace(year=as_of.year + 1))
        form.get_by_label("Note").fill("asked to call back")
        form.get_by_role("button", name="Save contact").click()
        expect(page.get_by_text("Contact saved: it shows on the patient's row.")).to_be_visible(
            timeout=30_000)
        _settle(page)
        deadline = time.monotonic() + 30
        while not followups.read_log(db).height:
            assert time.monotonic() < deadline, "the contact was not saved"
            page.wait_for_timeout(200)
        _settle(page)
        # the grid draws on a canvas (no text in the DOM): the row's new columns are checked
        # by tests/dashboard/test_followups_page.py and seen in this screenshot
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        _screenshot(page, SCREENSHOTS / "followups_call_list.png")
        page.get_by_role("link", name="Coordinator").first.click()
        _settle(page)
        expect(page.get_by_role("heading", name="Follow-ups")).to_be_visible(timeout=30_000)
        contacts = page.locator('[data-testid="stMetric"]').filter(has_text="Contacts made")
        expect(contacts.locator('[data-testid="stMetricValue"]')).to_have_text("1")
        contacts.scroll_into_view_if_needed()
        _screenshot(page, SCREENSHOTS / "followups_coordinator.png")
        browser.close()
    (entry,) = followups.read_log(db).to_dicts()
    assert (entry["patient_id"], entry["outcome"], entry["contact_date"],
            entry["next_contact_date"], entry["note"]) == (
        top["patient_id"], "left_message", as_of, as_of.replace(year=as_of.year + 1),
        "asked to call back")
