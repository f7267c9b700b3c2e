"""The lapse watch, organizational-life part of MEM-LAPSE-6M (中国共产党章程 Art. 9): six consecutive months
without taking part in organizational life, without a proper reason, and the member is flagged for the branch
to handle; warned from 3 months (both *policy*). Dues and assigned work are the other parts, not this module's.

Readings taken:
- The caller gives, per month (the first of the month), the finalized meetings the member was expected at with
  the member's attendance status (present / excused / absent), and the member's excusal ranges (mobile, sick,
  abroad, other), each from a first day to a last day (inclusive; None: still running).
- A month is attended when the member was present at a meeting of it; excused when, at one of its meetings,
  the member's absence was excused (status excused, or the meeting's date within an excusal range); missed when
  the member was expected at one meeting or more and was neither present at nor excused from any of them.
- Attended and excused months break the streak: attendance is organizational life; an excused absence is a
  proper reason.
- A month in which no meeting expected the member is neutral: it neither counts nor breaks the streak. A branch
  that holds no meetings fails its cadence (MTG-*), which is the branch's failing, not its members' lapse.
  Months before the first month given are unknown and end the walk.
- The streak is the run of missed months ending at the month of `as_of` (neutral months skipped); months after
  `as_of` are ignored. Level: none; warn from `warn_months` (default 3); lapse from `lapse_months` (default
  6), with 0 < warn ≤ lapse ≤ 24. The missed meetings of the streak are the evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .base import EXCUSED, PRESENT, STATUSES, check_lapse_policy

EXCUSAL_MOBILE = "mobile"
EXCUSAL_SICK = "sick"
EXCUSAL_ABROAD = "abroad"
EXCUSAL_OTHER = "other"
EXCUSAL_REASONS = (EXCUSAL_MOBILE, EXCUSAL_SICK, EXCUSAL_ABROAD, EXCUSAL_OTHER)

LEVEL_NONE = "none"
LEVEL_WARN = "warn"
LEVEL_LAPSE = "lapse"

# What a month was for the member.
MONTH_ATTENDED = "attended"
MONTH_EXCUSED = "excused"
MONTH_MISSED = "missed"
MONTH_NEUTRAL = "neutral"


@dataclass(frozen=True)
class ExpectedMeeting:
    """A finalized meeting the member was expected at, and the member's attendance status there."""

    meeting_id: Hashable
    held_on: dt.date
    status: str
    kind: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown attendance status {self.status!r}")


@dataclass(frozen=True)
class Excusal:
    """A range of days the member is excused from organizational life (`reason`: mobile / sick / abroad /
    other); `end` inclusive, None while it runs."""

    start: dt.date
    end: dt.date | None
    reason: str

    def __post_init__(self) -> None:
        if self.reason not in EXCUSAL_REASONS:
            raise ValueError(f"unknown excusal reason {self.reason!r}")
        if self.end is not None and self.end < self.start:
            raise ValueError("an excusal ends on or after its start")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class LapseWatch:
    """The member's current streak: `months` missed in a row up to the month of `as_of` (most recent first),
    `since` the first of them (None without a streak), the missed meetings as `evidence` (by date), and the
    `level` (none / warn / lapse)."""

    months: tuple[dt.date, ...]
    evidence: tuple[ExpectedMeeting, ...]
    level: str

    @property
    def streak(self) -> int:
        return len(self.months)

    @property
    def since(self) -> dt.date | None:
        return self.months[-1] if self.months else None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(month: dt.date) -> dt.date:
    return month_start(month - dt.timedelta(days=1))


def month_state(meetings: Sequence[ExpectedMeeting], excusals: Iterable[Excusal] = ()) -> str:
    """What one month was for the member: attended, excused, missed, or neutral (no meeting expected them)."""
    if not meetings:
        return MONTH_NEUTRAL
    if any(m.status == PRESENT for m in meetings):
        return MONTH_ATTENDED
    excusals = tuple(excusals)
    if any(m.status == EXCUSED or any(e.covers(m.held_on) for e in excusals) for m in meetings):
        return MONTH_EXCUSED
    return MONTH_MISSED


def lapse_level(streak: int, warn_months: int = 3, lapse_months: int = 6) -> str:
    """none, warn (streak ≥ warn_months) or lapse (streak ≥ lapse_months)."""
    check_lapse_policy(warn_months, lapse_months)
    if streak >= lapse_months:
        return LEVEL_LAPSE
    if streak >= warn_months:
        return LEVEL_WARN
    return LEVEL_NONE


def lapse_watch(
    months: Mapping[dt.date, Sequence[ExpectedMeeting]],
    excusals: Iterable[Excusal],
    as_of: dt.date,
    *,
    warn_months: int = 3,
    lapse_months: int = 6,
) -> LapseWatch:
    """MEM-LAPSE-6M (organizational life): the streak of missed months ending at the month of `as_of`, its
    evidence and level. `months`: first of month → the finalized meetings of that month the member was
    expected at (a key that is not the first of a month is a ValueError)."""
    check_lapse_policy(warn_months, lapse_months)
    if any(m.day != 1 for m in months):
        raise ValueError("months are keyed by their first day")
    excusals = tuple(excusals)
    streak: list[dt.date] = []
    evidence: list[ExpectedMeeting] = []
    month = month_start(as_of)
    earliest = min(months, default=month)
    while month >= earliest:
        meetings = months.get(month, ())
        state = month_state(meetings, excusals)
        if state in (MONTH_ATTENDED, MONTH_EXCUSED):
            break
        if state == MONTH_MISSED:
            streak.append(month)
            evidence.extend(meetings)
        month = _previous_month(month)
    evidence.sort(key=lambda m: (m.held_on, str(m.meeting_id)))
    return LapseWatch(
        months=tuple(streak),
        evidence=tuple(evidence),
        level=lapse_level(len(streak), warn_months, lapse_months),
    )
