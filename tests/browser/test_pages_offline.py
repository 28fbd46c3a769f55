"""Every page in Chromium at 1440x900 for one practice, three practices and an almost empty
practice: no request leaves the server (the app loads nothing from the internet), no page
shows an exception or a bare "None", and a screenshot of each is saved under
artifacts/screens/ to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from caseboard.settings import ROOT
from tests.browser.serving import CHROMIUM, LAUNCH_ARGS, serve, settle
from tests.conftest import built_once

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("screens")]

SCREENS = ROOT / "artifacts" / "screens"
WIDTH, HEIGHT = 1440, 900
# (URL path, title, draws a Plotly chart)
PAGES = [
    ("", "Weekly review", True),
    ("acceptance", "Case acceptance", True),
    ("unscheduled", "Unscheduled treatment", True),
    ("growth", "New patients and growth", True),
    ("collections", "Collections and A/R", True),
    ("coordinator", "Coordinator", True),
    ("data_page", "Data", False),
]


@pytest.fixture(scope="session")
def three_practice_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`caseboard sample --practices 3 --months 14` ingested once per test run (read only)."""
    from caseboard.sample import generate
    from pipelines.ingest import ingest_paths

    def build(folder: Path) -> None:
        generate(folder / "export", practices=3, months=14, seed=11)
        ingest_paths([folder / "export"], db=folder / "three.duckdb")

    return built_once(tmp_path_factory, "three", build)


def _grow_and_shoot(page, path: Path) -> None:
    """A screenshot 1440 px wide of the whole page (Streamlit scrolls inside its main block,
    so the viewport grows to the content first; the top 900 px are what a 1440x900 screen
    shows)."""
    script = ("() => { const b = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
              " return b ? b.getBoundingClientRect().height + 200 : document.body.scrollHeight; }")
    height, previous = page.evaluate(script), -1
    for _ in range(10):
        if height == previous:
            break
        page.wait_for_timeout(400)
        previous, height = height, page.evaluate(script)
    page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, min(int(height) + 40, 9000))})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})


@pytest.mark.parametrize("scenario", ["one-practice", "three-practices", "almost-empty"])
def test_every_page_loads_only_from_the_server(scenario, request, tmp_path):
    """Requests (and websockets) of every page load go to 127.0.0.1 only; screenshots saved."""
    from playwright.sync_api import expect, sync_playwright

    db = request.getfixturevalue({"one-practice": "sample_db_master",
                                  "three-practices": "three_practice_db",
                                  "almost-empty": "one_practice_db"}[scenario])
    SCREENS.mkdir(parents=True, exist_ok=True)
    hosts: set[str] = set()
    with serve(db, tmp_path) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        context.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or r.url))
        page = context.new_page()
        page.on("websocket", lambda ws: hosts.add(urlsplit(ws.url).hostname or ws.url))
        problems = []
        for slug, title, has_chart in PAGES:
            page.goto(f"{url}/{slug}")
            settle(page)
            expect(page.get_by_role("heading", name=title).first).to_be_visible()
            if has_chart:
                expect(page.locator(".main-svg").first).to_be_attached(timeout=30_000)
            page.wait_for_load_state("networkidle")
            name = slug or "weekly"
            if page.locator('[data-testid="stException"]').count():
                problems.append(f"{name}: exception")
            main = page.locator('[data-testid="stMain"]').inner_text()
            if "None" in main.split():
                problems.append(f"{name}: shows 'None'")
            _grow_and_shoot(page, SCREENS / f"{scenario}-{name}.png")
        browser.close()
    assert hosts == {"127.0.0.1"}, f"requests left the server: {sorted(hosts)}"
    assert problems == []
