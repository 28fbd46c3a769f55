"""The weekly review's 'Needs action this week' in Chromium: each item opens its full list."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import (  # noqa: F401 - the server fixture is used by name
    CHROMIUM,
    LAUNCH_ARGS,
    SCREENSHOTS,
    _screenshot,
    _settle,
    server,
)

pytestmark = pytest.mark.browser

# (link's item, page title, a heading of the full list on that page)
TARGETS = [
    ("Patients to call", "Unscheduled treatment", "Call list"),
    ("Claims to chase", "Collections and A/R", "Claims to chase: outstanding over 30 days"),
    ("Balances to collect", "Collections and A/R", "Balances to collect: A/R over 90 days"),
    ("Goals behind", "Coordinator", "Goals"),
]


def test_action_block_links_open_the_lists(server: str) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        _settle(page)
        block = page.locator(".st-key-weekly_actions")
        expect(block.get_by_text("Needs action this week")).to_be_visible(timeout=60_000)
        links = block.get_by_role("link").filter(has_text="Open the list")
        expect(links).to_have_count(4, timeout=60_000)
        for item, _, _ in TARGETS:
            expect(block.get_by_text(item, exact=True)).to_be_visible()
        _screenshot(page, SCREENSHOTS / "weekly-actions.png")
        for index, (item, title, heading) in enumerate(TARGETS):
            page.get_by_role("link", name="Weekly review").first.click()
            _settle(page)
            block = page.locator(".st-key-weekly_actions")
            shown = block.locator('[data-testid="stMetricValue"]').nth(index).inner_text()
            block.get_by_role("link").filter(has_text="Open the list").nth(index).click()
            _settle(page)
            expect(page.locator("h1").first).to_have_text(title, timeout=60_000)
            expect(page.get_by_role("heading", name=heading).first).to_be_visible(
                timeout=60_000)
            if item == "Patients to call":
                # the link opens the call list on this week's calls: the same patients
                expect(page.get_by_role("checkbox", name="Only this week's calls")).to_be_checked()
                expect(page.get_by_text(f"{shown} patients,")).to_be_visible(timeout=60_000)
                _screenshot(page, SCREENSHOTS / "unscheduled-to-call.png")
            if title == "Collections and A/R":
                # the asked list comes first on the page, above the production charts
                first = page.get_by_role("heading", name=heading).first.bounding_box()
                charts = page.get_by_text("Production and collections").first.bounding_box()
                assert first["y"] < charts["y"], item
            if item == "Claims to chase":
                _screenshot(page, SCREENSHOTS / "collections-claims.png")
        browser.close()
