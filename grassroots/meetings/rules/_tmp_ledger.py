"""TEMPORARY (part `ledger`): the one rule of `grassroots.meetings.rules` the member's own page needs, until the
rules package (branch wt-rules) is merged; then import `attendance_rate` from there and delete this file."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def attendance_rate(present: int, excused: int, absent: int) -> Decimal | None:
    """The percentage of those expected who were present (two decimals, half up); None if no one was."""
    if min(present, excused, absent) < 0:
        raise ValueError("counts must not be negative")
    expected = present + excused + absent
    if expected == 0:
        return None
    return (Decimal(100 * present) / Decimal(expected)).quantize(_CENT, rounding=ROUND_HALF_UP)
