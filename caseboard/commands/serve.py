"""`caseboard serve`: run the Streamlit dashboard, on 127.0.0.1 unless configured."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from caseboard.settings import DASHBOARD_APP, load_settings
from caseboard.storage import resolve_db


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="caseboard serve", description=__doc__)
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--host", default=settings.host, help="address to listen on")
    parser.add_argument("--port", type=int, default=settings.port, help="port to listen on")
    return parser


def streamlit_command(host: str, port: int) -> list[str]:
    """The streamlit command line that serves the dashboard."""
    return [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]


def main(argv: list[str]) -> int:
    """Serve the dashboard until interrupted."""
    args = build_parser().parse_args(argv)
    env = dict(os.environ, CASEBOARD_DB=str(resolve_db(args.db).resolve()))
    print(f"caseboard: serving http://{args.host}:{args.port} (Ctrl+C stops)", flush=True)
    try:
        return subprocess.call(streamlit_command(args.host, args.port), env=env)
    except KeyboardInterrupt:
        return 0
