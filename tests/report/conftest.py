"""Report fixtures: Chromium for the charts and poppler to read the PDFs back.

The tiny hand-built practices (``one_practice_db``, ``tiny_two_practice_db``) are shared
fixtures in tests/conftest.py, built by tests/weekly_practice.py.
"""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium for kaleido; skip without it unless CI=true."""
    from caseboard.report.images import chromium_path

    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Chromium to draw the report's charts")
        pytest.skip("no Chromium: the report's charts cannot be drawn")
    return path


@pytest.fixture(scope="session")
def poppler() -> None:
    """pdftotext and pdftoppm (poppler-utils); skip without them unless CI=true."""
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but poppler-utils is missing")
        pytest.skip("no poppler-utils")


@pytest.fixture(scope="session")
def kaleido(chromium):
    """One kaleido browser for every report of the session (started once, not per chart)."""
    from caseboard.report.images import kaleido_session

    with kaleido_session():
        yield
