"""Time every dashboard page's data access, through the functions the pages themselves call.

Record, then replay: each page (dashboard/app_pages/*.py) is run once through
the real router with Streamlit's AppTest while the public loaders of
`dashboard/data.py` are wrapped to record their calls (outermost calls only);
then each page's recorded calls are replayed ``runs`` times against the real,
unwrapped loaders, with Streamlit's data cache cleared before every run so
every run pays for its real queries. The practice filter in the recorded
practice is chosen in the sidebar's own selector before the page runs, so the
calls recorded are the ones that page makes for that practice (or all).

Run as a child: `python bench/pages.py DB --runs N --practice ID|all` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


class Recorder:
    """Wraps the data module's loaders; keeps the outermost calls of the current page."""

    def __init__(self, module) -> None:
        self.module = module
        self.real = {name: getattr(module, name) for name in dir(module)
                     if name.startswith("load_") and callable(getattr(module, name))}
        self.calls: list[tuple[str, tuple, dict]] = []
        self.depth = 0

    def install(self) -> None:
        """Replace the loaders by recording wrappers."""
        for name, func in self.real.items():
            setattr(self.module, name, self._wrap(name, func))

    def uninstall(self) -> None:
        """Put the real loaders back."""
        for name, func in self.real.items():
            setattr(self.module, name, func)

    def _wrap(self, name, func):
        def wrapper(*args, **kwargs):
            if self.depth == 0:
                self.calls.append((name, args, kwargs))
            self.depth += 1
            try:
                return func(*args, **kwargs)
            finally:
                self.depth -= 1

        return wrapper


def page_files(only: list[str] | None = None) -> list[Path]:
    """Every page module of the dashboard (or only those named)."""
    return sorted(p for p in (ROOT / "dashboard" / "app_pages").glob("*.py")
                  if not p.name.startswith("_") and (not only or p.stem in only))


def record_pages(module, practice: str | None, timeout_s: float,
                 only: list[str] | None = None) -> dict[str, dict]:
    """Run each page once through the router for ``practice``; return its loader calls."""
    from streamlit.testing.v1 import AppTest

    recorder = Recorder(module)
    recorder.install()
    recorded: dict[str, dict] = {}
    try:
        for page in page_files(only):
            app = AppTest.from_file(str(ROOT / "dashboard" / "streamlit_app.py"),
                                    default_timeout=timeout_s)
            if practice is not None:
                app.session_state["practice"] = practice
            app.run()
            recorder.calls = []
            start = time.perf_counter()
            try:
                app.switch_page(str(page.relative_to(ROOT / "dashboard")))
                app.run()
                error = [e.value for e in app.exception] if app.exception else []
            except Exception as exc:  # noqa: BLE001 - report, keep measuring other pages
                error = [f"{type(exc).__name__}: {exc}"]
            recorded[page.stem] = {
                "calls": list(recorder.calls),
                "script_s": time.perf_counter() - start,
                "errors": [str(e)[:300] for e in error],
            }
    finally:
        recorder.uninstall()
    return recorded


def replay(module, calls: list[tuple[str, tuple, dict]]) -> tuple[float, float]:
    """Run the calls once, cache cleared first; return (wall, CPU) seconds they took.

    CPU time counts every thread of this process (DuckDB's and Polars' too); on a
    busy machine it is the steadier figure.
    """
    import streamlit as st

    st.cache_data.clear()
    start, cpu = time.perf_counter(), time.process_time()
    for name, args, kwargs in calls:
        getattr(module, name)(*args, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    """Record each page's loader calls, replay them, print per-page median and p95 (ms)."""
    parser = argparse.ArgumentParser(prog="bench/pages.py")
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--practice", default="all", help="a practice id, or 'all'")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--pages", help="comma-separated page names (default: every page)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="stop repeating a page after this many seconds (min-runs done)")
    parser.add_argument("--min-runs", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["CASEBOARD_DB"] = str(args.db.resolve())
    os.environ.setdefault("CASEBOARD_HOME", tempfile.mkdtemp(prefix="caseboard-bench-home-"))
    sys.path.insert(0, str(ROOT))
    from dashboard import data

    practice = None if args.practice == "all" else args.practice
    only = args.pages.split(",") if args.pages else None
    recorded = record_pages(data, practice, args.timeout, only)
    pages = {}
    for page, info in recorded.items():
        runs = []
        started = time.perf_counter()
        while len(runs) < args.runs and (
                len(runs) < args.min_runs or time.perf_counter() - started < args.budget):
            runs.append(replay(data, info["calls"]))
        times = [wall * 1000 for wall, _ in runs]
        cpu = [used * 1000 for _, used in runs]
        pages[page] = {
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "cpu_median_ms": round(statistics.median(cpu), 1) if cpu else None,
            "calls": len(info["calls"]),
            "runs": len(runs),
            "loaders": sorted({name for name, _, _ in info["calls"]}),
            "script_ms": round(info["script_s"] * 1000, 1),
            "errors": info["errors"],
        }
    print(json.dumps({"practice": args.practice, "runs": args.runs, "pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
