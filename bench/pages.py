"""Time every dashboard page's data access, through the functions the pages themselves call.

Record, then replay: each page (dashboard/app_pages/*.py) is run once through
the real router with Streamlit's AppTest while the public loaders of
`dashboard/data.py` are wrapped to record their calls (outermost calls only);
then each page's recorded calls are replayed ``runs`` times against the real,
unwrapped loaders, with Streamlit's data cache cleared before every run so
every run pays for its real queries. The practice filter in the recorded
parameters is replaced by the practice asked for (or None = all practices).

Run as a child: `python bench/pages.py DB --runs N --practice ID|all` prints one JSON line.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOADERS = ("load_views", "load_view", "load_overview", "load_loads", "load_rejects",
           "load_goals", "load_team")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def retarget(value: object, practice: str | None) -> object:
    """``value`` with every dataclass ``practice_id`` field set to ``practice``, recursively."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if any(f.name == "practice_id" for f in dataclasses.fields(value)):
            return dataclasses.replace(value, practice_id=practice)
        return value
    if isinstance(value, tuple):
        return tuple(retarget(v, practice) for v in value)
    if isinstance(value, list):
        return [retarget(v, practice) for v in value]
    if isinstance(value, dict):
        return {k: retarget(v, practice) for k, v in value.items()}
    return value


class Recorder:
    """Wraps the data module's loaders; keeps the outermost calls of the current page."""

    def __init__(self, module) -> None:
        self.module = module
        self.real = {name: getattr(module, name) for name in LOADERS if hasattr(module, name)}
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


def page_files() -> list[Path]:
    """Every page module of the dashboard."""
    return sorted(p for p in (ROOT / "dashboard" / "app_pages").glob("*.py")
                  if not p.name.startswith("_"))


def record_pages(module, timeout_s: float) -> dict[str, dict]:
    """Run each page once through the router; return its recorded loader calls and errors."""
    from streamlit.testing.v1 import AppTest

    recorder = Recorder(module)
    recorder.install()
    recorded: dict[str, dict] = {}
    try:
        for page in page_files():
            recorder.calls = []
            app = AppTest.from_file(str(ROOT / "dashboard" / "streamlit_app.py"),
                                    default_timeout=timeout_s)
            app.run()
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


def replay(module, calls: list[tuple[str, tuple, dict]], practice: str | None) -> float:
    """Run the calls once, cache cleared first; return the seconds the calls took."""
    import streamlit as st

    st.cache_data.clear()
    start = time.perf_counter()
    for name, args, kwargs in calls:
        func = getattr(module, name)
        bound = inspect.signature(func).bind(*args, **kwargs)
        for key in bound.arguments:
            if key == "practice_id":
                bound.arguments[key] = practice
            else:
                bound.arguments[key] = retarget(bound.arguments[key], practice)
        func(*bound.args, **bound.kwargs)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Record each page's loader calls, replay them, print per-page median and p95 (ms)."""
    parser = argparse.ArgumentParser(prog="bench/pages.py")
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--practice", default="all", help="a practice id, or 'all'")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    os.environ["CASEBOARD_DB"] = str(args.db.resolve())
    os.environ.setdefault("CASEBOARD_HOME", tempfile.mkdtemp(prefix="caseboard-bench-home-"))
    sys.path.insert(0, str(ROOT))
    from dashboard import data

    practice = None if args.practice == "all" else args.practice
    recorded = record_pages(data, args.timeout)
    pages = {}
    for page, info in recorded.items():
        times = [replay(data, info["calls"], practice) * 1000 for _ in range(args.runs)]
        pages[page] = {
            "median_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "calls": len(info["calls"]),
            "views": sorted({view for name, a, k in info["calls"] if name == "load_views"
                             for view, _ in (a[0] if a else k.get("requests", []))}
                            | {a[0] for name, a, k in info["calls"] if name == "load_view" and a}),
            "script_ms": round(info["script_s"] * 1000, 1),
            "errors": info["errors"],
        }
    print(json.dumps({"practice": args.practice, "runs": args.runs, "pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
