"""TEMPORARY (wt-lapse): the pure lapse-streak and meeting-policy rules this branch needs until the rules
package of wt-rules is merged; the lead replaces the imports with `rules.*` then.

MEM-LAPSE-6M, the organizational-life part. Each calendar month of a member is one of:
- ATTENDED: present at one or more finalized meetings held that month (as expected or as a guest);
- EXCUSED: a recorded excusal (LapseExcusal: mobile, sick, abroad, other) covers the month;
- MISSED: expected at a finalized meeting that month, absent without leave, and present at none;
- NEUTRAL: nothing was expected of the member (no finalized meeting, or leave granted for each one).
The current streak walks back from the latest month: a MISSED month counts, a NEUTRAL month neither counts
nor breaks it (the member is not to blame for a month without a meeting, nor credited with one), an
ATTENDED or EXCUSED month ends it. Level: `lapse` from `lapse_months` missed months, `warn` from
`lapse_warn_months`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ATTENDED = "attended"
EXCUSED = "excused"
MISSED = "missed"
NEUTRAL = "neutral"

LAPSE = "lapse"
WARN = "warn"
NONE = ""

# The bounds of the meeting policy's values (MTG-POLICY): (low, high) inclusive.
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "lectures_per_quarter": (1, 12),
    "minutes_late_days": (1, 60),
    "sign_in_opens_before_minutes": (0, 240),
    "sign_in_closes_after_minutes": (0, 240),
    "code_step_seconds": (15, 300),
    "lapse_warn_months": (1, 24),
    "lapse_months": (1, 24),
}


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first`'s to `last`'s, oldest first."""
    out, month, end = [], month_of(first), month_of(last)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_state(*, present: int, absent: int, excused: bool) -> str:
    """The state of one month from its counts of finalized meetings attended and missed without leave, and
    whether an excusal covers it."""
    if present:
        return ATTENDED
    if excused:
        return EXCUSED
    if absent:
        return MISSED
    return NEUTRAL


@dataclass(frozen=True)
class Streak:
    months: tuple[dt.date, ...]  # the missed months of the current streak, newest first

    @property
    def length(self) -> int:
        return len(self.months)

    @property
    def since(self) -> dt.date | None:
        return self.months[-1] if self.months else None


def streak(states: Mapping[dt.date, str], months: Iterable[dt.date]) -> Streak:
    """The current streak of missed months, walking `months` (oldest first) back from the newest."""
    missed: list[dt.date] = []
    for month in reversed(list(months)):
        state = states.get(month, NEUTRAL)
        if state == MISSED:
            missed.append(month)
        elif state in (ATTENDED, EXCUSED):
            break
    return Streak(tuple(missed))


def level(length: int, *, warn_months: int, lapse_months: int) -> str:
    if length >= lapse_months:
        return LAPSE
    if length >= warn_months:
        return WARN
    return NONE


def excused_months(
    ranges: Iterable[tuple[dt.date, dt.date | None]], months: Iterable[dt.date]
) -> set[dt.date]:
    """The months of `months` covered by any (from_month, until_month or None: still running) range."""
    out = set()
    for month in months:
        for start, until in ranges:
            if month_of(start) <= month and (until is None or month <= month_of(until)):
                out.add(month)
                break
    return out


def policy_problem(values: Mapping[str, int]) -> tuple[str, str] | None:
    """(field, reason) of the first value of a meeting policy out of bounds, or None when lawful: each value
    an integer within POLICY_BOUNDS, and 0 < lapse_warn_months ≤ lapse_months ≤ 24."""
    for name, (low, high) in POLICY_BOUNDS.items():
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return name, "bounds"
    if values["lapse_warn_months"] > values["lapse_months"]:
        return "lapse_warn_months", "order"
    return None
