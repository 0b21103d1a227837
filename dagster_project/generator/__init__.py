"""Synthetic UPT export generator (see docs/DESIGN.md, "Generator output")."""

from .core import generate

__all__ = ["generate"]
