"""caseboard: local-first case-acceptance analytics for dental practices."""

__version__ = "0.1.0"
