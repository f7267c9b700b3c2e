"""Meetings through the API: the list (paged; org, kind, status, year), arranging one, one meeting with its
counts and attendance lines, marking it held, cancelling it (MTG-STATUS), recording attendance and guests
(MTG-ATTENDANCE) and leave (MTG-LEAVE). Who should attend and every count are the server's: numbers a client
sends are ignored."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS
from grassroots.core.errors import RuleViolation
from grassroots.core.filters import bound, query_schema
from grassroots.orgs import selectors as org_selectors

from .. import attendance as reads
from .. import selectors, services
from ..filters import MeetingFilter
from ..rules import attendance_rate
from . import router

MeetingFilterIn = query_schema(MeetingFilter, "MeetingFilterIn")
ID = {"ge": 1, "le": 2**62}
MAX_LINES = 2000  # attendance lines in one call: more than any roster


class MeetingIn(Schema):
    org: str = Field(..., max_length=32, description="Code of the org that holds the meeting")
    kind: str = Field(..., max_length=24, description="general_meeting, committee_meeting, group_meeting, …")
    topic: str = Field(..., max_length=200)
    planned_on: dt.date
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)
    convener: int | None = Field(None, **ID, description="Id of the member who chairs it")
    recorder: int | None = Field(None, **ID, description="Id of the member who keeps the minutes")


class HeldIn(Schema):
    held_on: dt.date = Field(..., description="The day it took place (not after today)")


class CancelIn(Schema):
    reason: str = Field(..., max_length=200)


class AttendanceIn(Schema):
    member: int = Field(..., **ID, description="Id of a member on the meeting's list")
    status: str = Field(..., max_length=12, description="present, excused or absent")
    reason: str = Field("", max_length=200, description="Required when excused")


class GuestIn(Schema):
    member: int = Field(..., **ID, description="Id of a member not on the list (a mobile member, a leader)")


class LeaveIn(Schema):
    reason: str = Field(..., max_length=200)


class LeaveDecisionIn(Schema):
    grant: bool


class MeetingOut(Schema):
    id: int
    org: str
    org_name: str
    kind: str
    topic: str
    agenda: str
    place: str
    planned_on: dt.date
    starts_at: dt.time | None
    ends_at: dt.time | None
    status: str
    held_on: dt.date | None
    cancelled_reason: str
    convener: int | None
    recorder: int | None
    expected_count: int
    present_count: int
    excused_count: int
    absent_count: int
    guest_count: int
    rate: float | None = Field(..., description="Present ÷ expected, a percentage (guests not counted)")
    minutes_state: str
    is_late_entry: bool

    @staticmethod
    def resolve_org(meeting) -> str:
        return meeting.org.code

    @staticmethod
    def resolve_org_name(meeting) -> str:
        return meeting.org.name

    @staticmethod
    def resolve_convener(meeting) -> int | None:
        return meeting.convener_id

    @staticmethod
    def resolve_recorder(meeting) -> int | None:
        return meeting.recorder_id

    @staticmethod
    def resolve_rate(meeting) -> float | None:
        rate = attendance_rate(meeting.present_count, meeting.excused_count, meeting.absent_count)
        return float(rate) if rate is not None else None

    @staticmethod
    def resolve_minutes_state(meeting) -> str:
        minutes = getattr(meeting, "minutes", None)
        return minutes.state if minutes is not None else "draft"

    @staticmethod
    def resolve_is_late_entry(meeting) -> bool:
        minutes = getattr(meeting, "minutes", None)
        return bool(minutes and minutes.is_late_entry)


class AttendanceOut(Schema):
    id: int
    member: int
    name: str
    org: str
    expected: bool
    voting: bool
    status: str
    reason: str
    method: str
    signed_at: dt.datetime | None
    recorded_at: dt.datetime | None
    leave_requested_at: dt.datetime | None
    leave_reason: str
    leave_granted: bool | None

    @staticmethod
    def resolve_member(line) -> int:
        return line.member_id

    @staticmethod
    def resolve_name(line) -> str:
        return line.member.name

    @staticmethod
    def resolve_org(line) -> str:
        return line.member.org.code


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(meeting) -> list:
        return reads.lines_of(meeting)


def _meeting(request, meeting_id: int, roles=None):
    who = caller(request)
    return who, selectors.meeting_get(scope=who.scope, meeting_id=meeting_id, roles=roles)


def _fresh(who, meeting_id: int):
    return selectors.meeting_get(scope=who.scope, meeting_id=meeting_id)


@router.get("", response={200: list[MeetingOut], **ERRORS})
@paginated
def meeting_list(request: HttpRequest, filters: Query[MeetingFilterIn]):
    """The meetings of `org`'s subtree (the caller's whole scope without it), by kind, status and year of the
    meeting date, newest first, with their stored counts."""
    return MeetingFilter(bound(filters), scope=caller(request).scope).qs


@router.post("", response={201: MeetingDetailOut, **ERRORS})
def meeting_create(request: HttpRequest, payload: MeetingIn):
    """Arrange a meeting: who should attend is derived from the org, the kind and the date (any count sent is
    ignored), and each of them gets a notice. 422 MTG-KIND when the org does not hold that kind."""
    who = caller(request)
    org = org_selectors.org_get(scope=who.scope, code=payload.org, roles=selectors.MEETING_EDIT)
    data = payload.model_dump(exclude={"org"})
    for name in ("convener", "recorder"):
        pk = data[name]
        data[name] = reads.person_in(scope=who.scope, org=org, member_id=pk) if pk else None
        if pk and data[name] is None:
            raise RuleViolation("MTG-PEOPLE", _("主持人和记录人须为本组织的党员（MTG-PEOPLE）"), field=name)
    meeting = services.meeting_create(scope=who.scope, actor=who.user, org=org, **data)
    return Status(201, _fresh(who, meeting.pk))


@router.get("/{int:meeting_id}", response={200: MeetingDetailOut, **ERRORS})
def meeting_get(request: HttpRequest, meeting_id: int):
    """One meeting: its facts, stored counts and rate, and every attendance line (the roster, then guests)."""
    _who, meeting = _meeting(request, meeting_id)
    return meeting


@router.post("/{meeting_id}/held", response={200: MeetingDetailOut, **ERRORS})
def meeting_hold(request: HttpRequest, meeting_id: int, payload: HeldIn):
    """Mark a planned meeting held (422 MTG-STATUS when it is not planned, MTG-DATES for a day after today)."""
    who, meeting = _meeting(request, meeting_id)
    services.meeting_hold(
        scope=who.scope, actor=who.user, meeting=meeting, held_on=payload.held_on, today=timezone.localdate()
    )
    return _fresh(who, meeting_id)


@router.post("/{meeting_id}/cancel", response={200: MeetingDetailOut, **ERRORS})
def meeting_cancel(request: HttpRequest, meeting_id: int, payload: CancelIn):
    """Cancel a planned meeting with a reason; those expected get a notice (422 MTG-STATUS otherwise)."""
    who, meeting = _meeting(request, meeting_id)
    services.meeting_cancel(scope=who.scope, actor=who.user, meeting=meeting, reason=payload.reason)
    return _fresh(who, meeting_id)


@router.post("/{meeting_id}/attendance", response={200: list[AttendanceOut], **ERRORS})
def attendance_record(request: HttpRequest, meeting_id: int, payload: list[AttendanceIn]):
    """Record how members on the list stood, `[{member, status, reason}, …]` (present, excused with a reason,
    absent): all the lines or none (one transaction; the first refusal answers, naming its line in the
    message). Each is marked as recorded by the secretary, or as a late entry after the meeting's day.
    422 MTG-ATTENDANCE, MTG-STATUS, MTG-MINUTES-FINAL."""
    who, meeting = _meeting(request, meeting_id)
    if len(payload) > MAX_LINES:
        raise RuleViolation(
            "MTG-ATTENDANCE",
            _("一次最多登记 %(n)s 人（MTG-ATTENDANCE）") % {"n": MAX_LINES},
            field="attendance",
        )
    today = timezone.localdate()
    out = []
    with transaction.atomic():
        for number, line in enumerate(payload, start=1):
            try:
                out.append(
                    services.attendance_record(
                        scope=who.scope,
                        actor=who.user,
                        meeting=meeting,
                        member=reads.member_readable(scope=who.scope, member_id=line.member),
                        status=line.status,
                        reason=line.reason,
                        today=today,
                    )
                )
            except RuleViolation as refused:
                if len(payload) > 1:
                    refused.message = _("第 %(n)s 行：") % {"n": number} + refused.message
                raise
    return out


@router.post("/{meeting_id}/guests", response={201: AttendanceOut, **ERRORS})
def guest_add(request: HttpRequest, meeting_id: int, payload: GuestIn):
    """Add a guest, present and not counted in the rate (a member the caller reads who is not on the list)."""
    who, meeting = _meeting(request, meeting_id)
    line = services.guest_add(
        scope=who.scope,
        actor=who.user,
        meeting=meeting,
        member=reads.member_readable(scope=who.scope, member_id=payload.member),
        today=timezone.localdate(),
    )
    return Status(201, line)


@router.post("/{meeting_id}/leave", response={200: AttendanceOut, **ERRORS})
def leave_request(request: HttpRequest, meeting_id: int, payload: LeaveIn):
    """The caller asks leave for himself (his account's member record), before the meeting starts, with a
    reason (422 MTG-LEAVE otherwise)."""
    who = caller(request)
    meeting, _own = reads.meeting_for_leave(scope=who.scope, meeting_id=meeting_id)
    return services.leave_request(scope=who.scope, actor=who.user, meeting=meeting, reason=payload.reason)


@router.post("/{meeting_id}/leave/{attendance_id}", response={200: AttendanceOut, **ERRORS})
def leave_decide(request: HttpRequest, meeting_id: int, attendance_id: int, payload: LeaveDecisionIn):
    """Grant or refuse a pending leave request before the minutes are final; granted, the member is excused
    with his reason (422 MTG-LEAVE otherwise)."""
    who = caller(request)
    line = reads.attendance_get(scope=who.scope, meeting_id=meeting_id, attendance_id=attendance_id)
    return services.leave_decide(scope=who.scope, actor=who.user, attendance=line, grant=payload.grant)
