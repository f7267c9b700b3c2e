"""The 三会一课 register (会议记录本) of an org and a year: the read behind its page, its print view and its
workbook (meetings/ledgers.py). A fixed number of queries whatever the year holds: the meetings, then the
amendments, the attendance and the votes of the finalized ones, each in one statement.

The register of an org lists the meetings it held itself and those of its party groups (a group's meeting is
part of its branch's organizational life), in date order; a finalized meeting carries its minutes text, its
amendments after it, who was present, excused (with the reason) or absent, and its votes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from grassroots.core import permissions
from grassroots.core.scoping import Scope
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from .choices import AttendanceStatus, MinutesState
from .models import Attendance, Meeting, MinutesAmendment, Vote
from .selectors import MEETING_VIEW

# The earliest year a register may be asked for (the Party's founding); a later year than next is ignored.
FIRST_YEAR = 1921


@dataclass
class RegisterMeeting:
    """One meeting of the register, with what its print and workbook show."""

    meeting: Meeting
    minutes_state: str  # MinutesState value ("" without minutes)
    minutes_label: str
    minutes_text: str
    is_late_entry: bool
    finalized_at: dt.datetime | None
    amendment_count: int
    amendments: list[MinutesAmendment] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    excused: list[tuple[str, str]] = field(default_factory=list)  # (name, reason)
    absent: list[str] = field(default_factory=list)
    guests: list[str] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)

    @property
    def is_final(self) -> bool:
        return self.minutes_state in (MinutesState.FINALIZED, MinutesState.CONFIRMED)

    @property
    def held_on(self) -> dt.date:
        return self.meeting.held_on or self.meeting.planned_on


@dataclass(frozen=True)
class Register:
    org: Org
    year: int
    meetings: list[RegisterMeeting]

    @property
    def finalized(self) -> list[RegisterMeeting]:
        return [m for m in self.meetings if m.is_final]


def year_of(value, today: dt.date) -> int:
    """The register's year from `?year=`: a whole number from 1921 to next year, else this year."""
    try:
        year = int(str(value or "").strip())
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def register_orgs_q(org: Org, prefix: str = "org") -> Q:
    """The org itself and its party groups (the groups directly under it)."""
    return Q(**{prefix: org}) | Q(
        **{
            f"{prefix}__path__startswith": org.path,
            f"{prefix}__depth": org.depth + 1,
            f"{prefix}__kind": OrgKind.GROUP,
        }
    )


def register_of(*, scope: Scope, org: Org, year: int, details: bool = True) -> Register:
    """The register of `org` for `year`; `details`: read the finalized meetings' amendments, attendance and
    votes too (the print view and the workbook; the page lists the meetings only)."""
    permissions.require(scope, MEETING_VIEW, org.path)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    meetings = list(
        Meeting.objects.within(scope)
        .filter(register_orgs_q(org), planned_on__gte=start, planned_on__lte=end)
        .select_related("org", "convener", "recorder", "minutes")
        .annotate(amendment_count=Count("minutes__amendments"))
        .order_by("planned_on", "starts_at", "id")
    )
    rows = []
    for m in meetings:
        minutes = getattr(m, "minutes", None)
        rows.append(
            RegisterMeeting(
                meeting=m,
                minutes_state=minutes.state if minutes else "",
                minutes_label=minutes.get_state_display() if minutes else "",
                minutes_text=minutes.text if minutes else "",
                is_late_entry=bool(minutes and minutes.is_late_entry),
                finalized_at=minutes.finalized_at if minutes else None,
                amendment_count=m.amendment_count,
            )
        )
    final = {r.meeting.pk: r for r in rows if r.is_final}
    if details and final:
        _read_details(scope, final)
    return Register(org=org, year=year, meetings=rows)


def _read_details(scope: Scope, final: dict[int, RegisterMeeting]) -> None:
    ids = list(final)
    for amendment in (
        MinutesAmendment.objects.within(scope)
        .filter(minutes__meeting_id__in=ids)
        .select_related("minutes")
        .order_by("created_at", "id")
    ):
        final[amendment.minutes.meeting_id].amendments.append(amendment)
    for meeting_id, name, expected, status, reason in (
        Attendance.objects.within(scope)
        .filter(meeting_id__in=ids)
        .order_by("member__name_sort", "id")
        .values_list("meeting_id", "member__name", "expected", "status", "reason")
    ):
        row = final[meeting_id]
        if not expected:
            row.guests.append(name)
        elif status == AttendanceStatus.PRESENT:
            row.present.append(name)
        elif status == AttendanceStatus.EXCUSED:
            row.excused.append((name, reason))
        else:
            row.absent.append(name)
    for vote in Vote.objects.within(scope).filter(meeting_id__in=ids).order_by("meeting_id", "sequence"):
        final[vote.meeting_id].votes.append(vote)
