"""Reads of who attended (the officers' side): a meeting's lines and leave requests, one line fetched and
authorized, the meeting a member asks leave for, and attendance rates per member and per org over a period
(`rules.attendance_rate`). Every function takes the caller's scope or a meeting already authorized."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Member
from grassroots.members.selectors import own_member
from grassroots.orgs.models import Org

from .choices import AttendanceStatus, MeetingStatus
from .models import Attendance, Meeting
from .rules import attendance_rate
from .selectors import MEETING_EDIT, meeting_get


@dataclass(frozen=True)
class Rate:
    """How those expected stood over some meetings: counts and the rate (None when no one was expected)."""

    present: int
    excused: int
    absent: int

    @property
    def expected(self) -> int:
        return self.present + self.excused + self.absent

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.present, self.excused, self.absent)


def lines_of(meeting: Meeting) -> list[Attendance]:
    """Every line of the meeting: the expected roster in name order, then the guests (one query)."""
    with unscoped():
        return list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting)
            .select_related("member", "member__org")
            .order_by("-expected", "member__name_sort", "member_id")
        )


def leave_requests_of(lines: list[Attendance]) -> list[Attendance]:
    """The lines with a leave request, pending ones first (from lines already read)."""
    asked = [a for a in lines if a.leave_requested_at is not None]
    return sorted(asked, key=lambda a: (a.leave_granted is not None, a.leave_requested_at))


def attendance_get(*, scope: Scope, meeting_id: int, attendance_id: int, roles=MEETING_EDIT) -> Attendance:
    """One line of a meeting the caller may act on (NotFound when the meeting or the line is missing or not
    readable, PermissionDenied without `roles` at the meeting's org)."""
    meeting = meeting_get(scope=scope, meeting_id=meeting_id, roles=roles)
    with unscoped():
        line = (
            Attendance.objects.unscoped_all()
            .filter(pk=attendance_id, meeting=meeting)
            .select_related("member")
            .first()
        )
    if line is None:
        raise NotFound
    line.meeting = meeting
    return line


def own_line(*, scope: Scope, meeting_id: int) -> Attendance | None:
    """The caller's own line at a meeting (by their account's member record), whatever their grants."""
    member = own_member(scope=scope)
    if member is None:
        return None
    with unscoped():
        return (
            Attendance.objects.unscoped_all()
            .filter(meeting_id=meeting_id, member=member)
            .select_related("meeting", "meeting__org", "meeting__minutes", "member")
            .first()
        )


def meeting_for_leave(*, scope: Scope, meeting_id: int) -> tuple[Meeting, Attendance | None]:
    """The meeting a caller asks leave for, with their own line: a member on its list reads it as his own;
    anyone else needs to read the org's meetings (NotFound outside the scope)."""
    line = own_line(scope=scope, meeting_id=meeting_id)
    if line is not None:
        return line.meeting, line
    return meeting_get(scope=scope, meeting_id=meeting_id), None


def guest_choices(*, scope: Scope, meeting: Meeting, limit: int = 500) -> list[tuple[int, str]]:
    """Members the caller may read who are not on the meeting's list, as (id, "name · org"): whom an officer
    may add as a guest. Members of the meeting's own org come last (a guest is usually from elsewhere)."""
    rows = (
        Member.objects.within(scope)
        .filter(status__in=ACTIVE_STATUSES)
        .exclude(meeting_attendance__meeting=meeting)
        .order_by("name_sort", "id")
        .values_list("pk", "name", "org__name")[:limit]
    )
    return [(pk, f"{name} · {org}") for pk, name, org in rows]


def _period(qs, field: str, since: dt.date | None, until: dt.date | None):
    if since is not None:
        qs = qs.filter(**{f"{field}__gte": since})
    if until is not None:
        qs = qs.filter(**{f"{field}__lte": until})
    return qs


def member_rate(member: Member, *, since: dt.date | None = None, until: dt.date | None = None) -> Rate:
    """How `member` stood at the meetings he was expected at in the period (by meeting date), counting the
    lines recorded so far; cancelled meetings do not count. `member` is one the caller already reads."""
    with unscoped():
        qs = Attendance.objects.unscoped_all().filter(member=member, expected=True)
        qs = _period(qs.exclude(meeting__status=MeetingStatus.CANCELLED), "meeting__planned_on", since, until)
        counts = qs.aggregate(
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
        )
    return Rate(**counts)


def member_rates(
    *, scope: Scope, org: Org, since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, Rate]:
    """Each member of `org`'s subtree with a recorded line in the period, by member id (one grouped query)."""
    qs = Attendance.objects.within(scope).filter(expected=True, member__org__path__startswith=org.path)
    qs = _period(qs.exclude(meeting__status=MeetingStatus.CANCELLED), "meeting__planned_on", since, until)
    rows = qs.values("member_id").annotate(
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
        absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
    )
    return {r["member_id"]: Rate(r["present"], r["excused"], r["absent"]) for r in rows}


def org_rate(*, scope: Scope, org: Org, since: dt.date | None = None, until: dt.date | None = None) -> Rate:
    """How those expected stood over the meetings of `org`'s subtree in the period, from the meetings' stored
    counts (one aggregate; cancelled meetings do not count; guests never do)."""
    qs = Meeting.objects.within(scope).filter(org__path__startswith=org.path)
    qs = _period(qs.exclude(status=MeetingStatus.CANCELLED), "planned_on", since, until)
    sums = qs.aggregate(
        present=Sum("present_count"), excused=Sum("excused_count"), absent=Sum("absent_count")
    )
    return Rate(**{k: v or 0 for k, v in sums.items()})


def _home_path(org: Org) -> str:
    """The path whose members take part in `org`'s meetings: a party group's are its branch's."""
    return org.path[: -Org.steplen] if org.kind == "group" else org.path


def people_choices(*, scope: Scope, org: Org) -> list[tuple[int, str]]:
    """The active members who may convene or record `org`'s meetings, as (id, name) in pinyin order."""
    return list(
        Member.objects.within(scope)
        .filter(org__path__startswith=_home_path(org), status__in=ACTIVE_STATUSES)
        .order_by("name_sort", "id")
        .values_list("pk", "name")
    )


def person_in(*, scope: Scope, org: Org, member_id: int) -> Member | None:
    """A member who may convene or record `org`'s meetings and whom the caller reads, or None."""
    return (
        Member.objects.within(scope)
        .filter(pk=member_id, org__path__startswith=_home_path(org))
        .select_related("org")
        .first()
    )


def member_readable(*, scope: Scope, member_id: int | None) -> Member | None:
    """A member the caller reads (a guest may be from any org in the scope), or None."""
    if not member_id:
        return None
    return Member.objects.within(scope).filter(pk=member_id).select_related("org").first()


def org_at(*, scope: Scope, path: str) -> Org:
    """The org at `path` in the caller's scope (NotFound otherwise)."""
    org = Org.objects.within(scope).filter(path=path).first()
    if org is None:
        raise NotFound
    return org
