"""Static charts for the report: the dashboard's own Plotly figures, exported by kaleido as SVG.

The figures are drawn with an explicit template (plotly's own, whose axes grow their
margins to fit their tick labels), never with ``plotly.io.templates.default``: a Streamlit
server process sets that default to its own template, which does not, and the dashboard's
download then clipped every axis label that ``caseboard report`` showed. SVG keeps the
charts' text as text in the PDF (sharp in print, and readable by ``pdftotext``).
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import threading
from collections.abc import Iterator

import plotly.graph_objects as go
import plotly.io as pio

from caseboard.review import charts

WIDTH = 900
HEIGHT = 330
SCALE = 2


class ChartsUnavailable(Exception):  # noqa: N818 - a plain-words condition
    """No Chromium for kaleido to draw with."""


def chromium_path() -> str | None:
    """The Chromium kaleido will use ($BROWSER_PATH, else Debian's /usr/bin/chromium, else PATH)."""
    for candidate in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium"):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


_lock = threading.Lock()
_users = 0
_ours = False


@contextlib.contextmanager
def kaleido_session() -> Iterator[None]:
    """Keep one kaleido browser running for the block (one start per report, not per chart).

    Nested and concurrent blocks (e.g. two dashboard downloads at once) share one browser;
    the last block to finish stops it.
    """
    global _users, _ours
    import kaleido

    if chromium_path() is None:
        raise ChartsUnavailable("no Chromium found to draw the charts (apt-get install chromium)")
    with _lock:
        if _users == 0:
            _ours = not kaleido._global_server.is_running()  # noqa: SLF001 - someone else's?
            if _ours:
                kaleido.start_sync_server(silence_warnings=True)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0 and _ours:
                kaleido.stop_sync_server(silence_warnings=True)


TEMPLATE = "plotly_white"


def print_figure(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT,
                 tickangle: int = 0) -> go.Figure:
    """A copy of a dashboard figure laid out for print, independent of the process's defaults."""
    fig = go.Figure(fig)
    fig.update_layout(
        template=pio.templates[TEMPLATE],
        height=height, width=width, title=None, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 14},
    )
    fig.update_xaxes(tickangle=tickangle, tickfont={"size": 12}, automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def image(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT, tickangle: int = 0,
          fmt: str = "svg") -> bytes:
    """The figure as SVG (default) or PNG bytes (call inside ``kaleido_session``)."""
    import kaleido

    fig = print_figure(fig, width, height, tickangle)
    opts = {"format": fmt, "width": width, "height": height}
    if fmt == "png":
        opts["scale"] = SCALE
    return kaleido.calc_fig_sync(fig, opts=opts)


def png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT, tickangle: int = 0) -> bytes:
    """The figure as PNG bytes (call inside ``kaleido_session``)."""
    return image(fig, width, height, tickangle, "png")


MIME = {"svg": "image/svg+xml", "png": "image/png"}


def data_uri(content: bytes, fmt: str = "svg") -> str:
    """A data: URI for embedding an SVG (default) or PNG chart in the HTML."""
    return f"data:{MIME[fmt]};base64," + base64.b64encode(content).decode("ascii")


def section_figures(section) -> dict[str, go.Figure]:
    """The dashboard figures a report section shows: acceptance trend and unscheduled aging."""
    return {
        "trend": charts.acceptance_trend_chart(section.trend, period="week_start"),
        "aging": charts.unscheduled_aging_chart(section.aging),
    }
