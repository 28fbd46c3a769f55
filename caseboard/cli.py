"""The `caseboard` command: a thin dispatcher to one module per subcommand.

Each subcommand lives in ``caseboard/commands/<name>.py`` and exposes
``main(argv: list[str]) -> int`` that parses its own arguments (argparse exits
with 2 on a usage error). Exit codes across commands: 0 success, 1 refused or
failed, 2 usage error.
"""

from __future__ import annotations

import contextlib
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("caseboard.commands.ingest", "load a standard or Open Dental export into DuckDB"),
    "loads": ("caseboard.commands.loads", "list load batches"),
    "rejects": ("caseboard.commands.rejects", "list quarantined rows and their reasons"),
    "metrics": ("caseboard.commands.metrics", "print every metric (--json for the spec's object)"),
    "sample": ("caseboard.commands.sample", "write a synthetic practice export"),
    "serve": ("caseboard.commands.serve", "serve the dashboard (localhost only by default)"),
    "report": ("caseboard.commands.report", "write the weekly owner report (PDF or HTML)"),
    "reconcile": ("caseboard.commands.reconcile", "tie caseboard out to Open Dental's own reports"),
    "followups": ("caseboard.commands.followups", "record, list, export, import follow-up calls"),
    "set-password": ("caseboard.commands.set_password", "set the dashboard password"),
    "sync": ("caseboard.commands.sync", "run the configured loads on a schedule (or --once)"),
}


def _usage() -> str:
    lines = ["usage: caseboard COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<13} {summary}" for name, (_, summary) in COMMANDS.items()]
    lines += ["", "Run `caseboard COMMAND --help` for a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the subcommand named by the first argument."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        print(_usage())
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"caseboard: unknown command {name!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    from caseboard import logsafe, tempfiles

    with contextlib.suppress(OSError):
        tempfiles.remove_stale()  # copies of patient data a killed command left behind
    module = importlib.import_module(COMMANDS[name][0])
    return logsafe.safe_main(module.main, rest)


if __name__ == "__main__":
    sys.exit(main())
