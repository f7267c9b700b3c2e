"""The member's own side of organizational life (我的会议): the meetings they should attend, their notices,
their past meetings with how they stood, and their attendance rate this year.

Read by the member's account (`members.selectors.own_member`), whatever their grants — as their own record is:
every read here is of rows that name the caller's own member record, so it runs unscoped. A fixed number of
queries whatever the history holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from grassroots.core import permissions, todo
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.members.selectors import own_member

from .choices import AttendanceStatus, MeetingStatus, MinutesState
from .models import Attendance, MeetingNotice
from .rules import WINDOW_CLOSED, WINDOW_OPEN, attendance_rate
from .selectors import MEETING_VIEW, Policy, policy_for, window_of

# How many of each list the page shows.
UPCOMING_LIMIT = 20
NOTICE_LIMIT = 20
PAST_LIMIT = 30
# How far ahead the home page's item looks.
SOON_DAYS = 30


@dataclass(frozen=True)
class YearRate:
    year: int
    present: int
    excused: int
    absent: int
    rate: Decimal | None


@dataclass(frozen=True)
class SignInItem:
    """A meeting of the member's today and where its sign-in stands (MTG-SIGN-IN)."""

    attendance: Attendance
    state: str  # rules.WINDOW_OPEN, WINDOW_NOT_YET or WINDOW_CLOSED (final minutes: closed)
    opens_at: dt.datetime
    closes_at: dt.datetime

    @property
    def meeting(self):
        return self.attendance.meeting

    @property
    def signed(self) -> bool:
        return self.attendance.status == AttendanceStatus.PRESENT

    @property
    def open(self) -> bool:
        return self.state == WINDOW_OPEN and not self.signed


@dataclass(frozen=True)
class Mine:
    member: Member
    upcoming: list[Attendance]
    notices: list[MeetingNotice]
    unread: int
    past: list[Attendance]
    year: YearRate
    today: list[SignInItem]

    @property
    def open_now(self) -> list[SignInItem]:
        """Today's meetings the member may sign in at now."""
        return [item for item in self.today if item.open]


def _rows(member: Member):
    return (
        Attendance.objects.unscoped_all()
        .filter(member=member)
        .select_related("meeting", "meeting__org", "meeting__minutes")
    )


def upcoming_of(member: Member, today: dt.date, *, until: dt.date | None = None, limit: int = UPCOMING_LIMIT):
    """The planned meetings from today on that the member is on the roster of, soonest first."""
    with unscoped():
        qs = _rows(member).filter(meeting__planned_on__gte=today, meeting__status=MeetingStatus.PLANNED)
        if until is not None:
            qs = qs.filter(meeting__planned_on__lte=until)
        return list(qs.order_by("meeting__planned_on", "meeting__starts_at", "meeting_id")[:limit])


def sign_in_today(member: Member, today: dt.date, now: dt.datetime) -> list[SignInItem]:
    """The member's meetings of `today` (on the roster, or signed in as a guest) that are not cancelled, with
    their sign-in window at `now`; final minutes close it. One query, plus the policy of each org met."""
    with unscoped():
        rows = list(
            _rows(member)
            .filter(meeting__planned_on=today)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .order_by("meeting__starts_at", "meeting_id")
        )
    policies: dict[int, Policy] = {}
    items = []
    for row in rows:
        meeting = row.meeting
        if meeting.org_id not in policies:
            policies[meeting.org_id] = policy_for(meeting.org, today)
        window = window_of(meeting, policies[meeting.org_id])
        opens_at, closes_at = window.bounds
        final = getattr(meeting, "minutes", None) is not None and meeting.minutes.state != MinutesState.DRAFT
        state = WINDOW_CLOSED if final else window.state(now)
        items.append(SignInItem(row, state, opens_at, closes_at))
    return items


def year_rate(member: Member, year: int) -> YearRate:
    """How the member stood at this year's meetings whose record is final (the expected roster only)."""
    with unscoped():
        counts = (
            Attendance.objects.unscoped_all()
            .filter(
                member=member,
                expected=True,
                meeting__planned_on__gte=dt.date(year, 1, 1),
                meeting__planned_on__lte=dt.date(year, 12, 31),
                meeting__minutes__state__in=(MinutesState.FINALIZED, MinutesState.CONFIRMED),
            )
            .aggregate(
                present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
                excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
                absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
            )
        )
    return YearRate(year, counts["present"], counts["excused"], counts["absent"], attendance_rate(**counts))


def mine(*, scope: Scope, today: dt.date, now: dt.datetime | None = None) -> Mine | None:
    """The signed-in member's meetings, notices and rate, and today's meetings with their sign-in (at `now`);
    None for an account without a member record."""
    member = own_member(scope=scope)
    if member is None:
        return None
    with unscoped():
        notices = list(
            MeetingNotice.objects.unscoped_all()
            .filter(member=member)
            .select_related("meeting")
            .order_by("read_at", "-sent_at", "-id")[:NOTICE_LIMIT]
        )
        unread = MeetingNotice.objects.unscoped_all().filter(member=member, read_at__isnull=True).count()
        past = list(
            _rows(member)
            .filter(Q(meeting__planned_on__lt=today) | ~Q(meeting__status=MeetingStatus.PLANNED))
            .order_by("-meeting__planned_on", "-meeting_id")[:PAST_LIMIT]
        )
    return Mine(
        member=member,
        upcoming=upcoming_of(member, today),
        notices=notices,
        unread=unread,
        past=past,
        year=year_rate(member, today.year),
        today=sign_in_today(member, today, now or timezone.now()),
    )


def notice_get(*, scope: Scope, notice_id: int) -> tuple[MeetingNotice, bool]:
    """A notice the caller may open: their own (second value True), or one of a meeting they read
    (MEETING_VIEW at its org, the secretary checking what was sent); NotFound otherwise."""
    with unscoped():
        notice = (
            MeetingNotice.objects.unscoped_all()
            .filter(pk=notice_id)
            .select_related("meeting", "meeting__org", "member")
            .first()
        )
    if notice is None:
        raise NotFound
    own = own_member(scope=scope)
    if own is not None and own.pk == notice.member_id:
        return notice, True
    permissions.require(scope, MEETING_VIEW, notice.meeting.org.path)
    return notice, False


# The home page's item (core.todo): the member's own meetings in the next SOON_DAYS days.
CATEGORY = "my_meetings"


def due_items(*, scope: Scope, org, today: dt.date, limit: int | None) -> todo.Found:
    """The signed-in member's planned meetings of the next 30 days, for their home page (nothing on an org's
    page, and nothing for an account without a member record)."""
    if org is not None:
        return todo.Found.none()
    member = own_member(scope=scope)
    if member is None:
        return todo.Found.none()
    url = reverse("meetings:mine")
    rows = upcoming_of(member, today, until=today + dt.timedelta(days=SOON_DAYS), limit=UPCOMING_LIMIT)
    items = [
        todo.TodoItem(
            category=CATEGORY,
            rule_id="",
            title=a.meeting.get_kind_display(),
            subject=a.meeting.topic,
            org=a.meeting.org,
            due_by=a.meeting.planned_on,
            overdue=False,
            url=url,
        )
        for a in rows
    ]
    return todo.Found.of(items, limit)


def mine_url(org) -> str:
    return reverse("meetings:mine")
