"""`caseboard set-password`: set the dashboard password (stored only as an argon2 hash)."""

from __future__ import annotations

import argparse
import getpass
import sys

from caseboard.auth import AuthConfigError, set_password


def build_parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    parser = argparse.ArgumentParser(prog="caseboard set-password", description=__doc__)
    parser.add_argument(
        "--stdin", action="store_true", help="read the password from the first line of stdin"
    )
    parser.add_argument("--home", help="config folder (default: $CASEBOARD_HOME)")
    return parser


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New dashboard password: ")
    second = getpass.getpass("Repeat it: ")
    if first != second:
        print("caseboard: the two passwords differ; nothing changed", file=sys.stderr)
        return None
    return first


def main(argv: list[str]) -> int:
    """Ask for a password and store its hash."""
    args = build_parser().parse_args(argv)
    try:
        password = _read_password(args.stdin)
    except (EOFError, KeyboardInterrupt):
        print("caseboard: no password given; nothing changed", file=sys.stderr)
        return 1
    if password is None:
        return 1
    try:
        path = set_password(password, args.home)
    except AuthConfigError as error:
        print(f"caseboard: {error}; nothing changed", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"caseboard: cannot write the password file: {error.strerror}", file=sys.stderr)
        return 1
    print(f"caseboard: password set (argon2 hash in {path}); open dashboards ask for it again")
    return 0
