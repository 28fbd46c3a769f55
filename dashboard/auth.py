"""The login gate every page passes before it renders."""

from __future__ import annotations


def require_login() -> None:
    """Stop the script run unless the visitor may see the dashboard (no auth configured yet)."""
