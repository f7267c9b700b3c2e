"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready())."""

from __future__ import annotations


def register() -> None:
    """Menu, to-do, org tabs, citations, derived tables and the audit verifier are added here."""
