"""`caseboard serve`: run the Streamlit dashboard, on 127.0.0.1 unless configured.

Serving on any other address (a LAN IP, 0.0.0.0) is refused unless visitors
must authenticate: a password set with `caseboard set-password`, or Streamlit's
OpenID Connect login configured in .streamlit/secrets.toml [auth].
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import threading
import time

from caseboard import logsafe
from caseboard.auth import AuthConfigError, auth_method, is_loopback, oidc_available
from caseboard.settings import DASHBOARD_APP, ROOT, load_settings


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    settings = load_settings()
    parser = argparse.ArgumentParser(prog="caseboard serve", description=__doc__)
    parser.add_argument("--db", help="database file (default: $CASEBOARD_DB or ./caseboard.duckdb)")
    parser.add_argument("--host", default=settings.host, help="address to listen on")
    parser.add_argument("--port", type=int, default=settings.port, help="port to listen on")
    parser.add_argument(
        "--deidentify",
        action="store_true",
        help="show initials and masked phone numbers by default (screen sharing, demos)",
    )
    return parser


# serve replaces itself (exec) with this module's launcher, which runs Streamlit's own
# command line and meanwhile imports what the router and the weekly review import before
# their first tiles (Polars, DuckDB, Plotly, the dashboard's modules): the first page then
# finds them loaded instead of importing them on the user's clock. pandas and pyarrow
# (st.dataframe, after the tiles) are left out: preloading them too cost CPU before the
# tiles and let the chart reach the browser with them (slower first tile, measured).
PRELOAD = ("dashboard.auth", "dashboard.state", "dashboard.ui", "caseboard.review.changes",
           "caseboard.review.charts", "caseboard.review.weekly")


def streamlit_command(host: str, port: int, upload_limit_mb: int | None = None) -> list[str]:
    """The command line that serves the dashboard: Streamlit's `run` through our launcher."""
    limit = load_settings().upload_limit_mb if upload_limit_mb is None else upload_limit_mb
    return [
        sys.executable, "-m", "caseboard.commands.serve", "run", str(DASHBOARD_APP),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.enableXsrfProtection", "true",
        "--server.enableCORS", "true",
        "--server.maxUploadSize", str(limit),
        "--client.showErrorDetails", "none",
        "--client.toolbarMode", "minimal",
        "--client.disableDataExport", "true",
        "--global.developmentMode", "false",
        "--logger.enableRich", "false",
        "--server.runOnSave", "false",
    ]


def preload(modules: tuple[str, ...] = PRELOAD, timeout_s: float = 60.0) -> None:
    """Import ``modules`` once Streamlit's runtime has started (give up after ``timeout_s``)."""
    from streamlit import runtime

    deadline = time.monotonic() + timeout_s
    while not (runtime.exists()
               and runtime.get_instance().state is not runtime.RuntimeState.INITIAL):
        if time.monotonic() > deadline:
            return
        time.sleep(0.01)
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page's own import shows the error where it belongs
            return


def launch(argv: list[str]) -> None:
    """Run Streamlit's command line ``argv`` (`run APP --options`), preloading meanwhile.

    The server gets caseboard.http_gate in front: downloads, uploads and metrics need a
    logged-in browser when a login is configured.
    """
    threading.Thread(target=preload, name="caseboard-preload", daemon=True).start()
    from streamlit.web import cli

    from caseboard import http_gate

    http_gate.install()

    cli.main(argv, prog_name="streamlit")


def access_problem(host: str) -> str | None:
    """Why serving on ``host`` is refused, or None when it is allowed."""
    try:
        method = auth_method(cwd=os.getcwd())
    except AuthConfigError as error:
        return str(error)
    if method == "oidc" and not oidc_available():
        return (
            "OpenID Connect login is configured in .streamlit/secrets.toml but Authlib is "
            "not installed: pip install 'authlib>=1.3.2', or use caseboard set-password"
        )
    if is_loopback(host) or method is not None:
        return None
    return (
        f"refusing to serve on {host}: patient data would be open to anyone on the network. "
        "Set a password first (caseboard set-password) or configure OpenID Connect in "
        ".streamlit/secrets.toml [auth]; or serve on 127.0.0.1"
    )


def main(argv: list[str]) -> int:
    """Serve the dashboard until interrupted (Streamlit replaces this process)."""
    args = build_parser().parse_args(argv)
    logsafe.install()
    problem = access_problem(args.host)
    if problem is not None:
        print(f"caseboard: {problem}", file=sys.stderr)
        return 2
    from caseboard.storage import resolve_db  # imports DuckDB, which the launcher preloads later

    env = dict(os.environ, CASEBOARD_DB=str(resolve_db(args.db).resolve()))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if args.deidentify:
        env["CASEBOARD_DEIDENTIFY"] = "1"
    print(f"caseboard: serving http://{args.host}:{args.port} (Ctrl+C stops)", flush=True)
    if not is_loopback(args.host):
        print("caseboard: plain HTTP on the network: on shared or Wi-Fi networks put a TLS "
              "proxy in front (docs/security.md)", file=sys.stderr, flush=True)
    command = streamlit_command(args.host, args.port)
    os.execvpe(command[0], command, env)  # the server replaces this process: stopping it stops all
    return 1


if __name__ == "__main__":
    launch(sys.argv[1:])
