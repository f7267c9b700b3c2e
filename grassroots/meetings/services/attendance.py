"""Who attended a meeting, as the officers record it (MTG-ATTENDANCE, MTG-STATUS, MTG-LEAVE):
`attendance_record` (one line of the roster), `guest_add` (someone the meeting did not expect, present),
`leave_request` (the member's own request before the meeting) and `leave_decide` (an officer grants or refuses
it). Every change refreshes the meeting's stored counts (`counts_refresh`); nothing changes once the minutes
are final (MTG-MINUTES-FINAL). The member's own sign-in is services/signin's."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Member
from grassroots.members.selectors import own_member

from .. import rules, selectors
from ..choices import AttendanceStatus
from ..models import Attendance, Meeting
from .guards import ensure_not_final, is_final
from .meetings import _locked, counts_refresh


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _day(meeting: Meeting) -> dt.date:
    return meeting.held_on or meeting.planned_on


def _line(meeting: Meeting, member: Member) -> Attendance | None:
    with unscoped():
        return (
            Attendance.objects.unscoped_all()
            .select_for_update()
            .filter(meeting=meeting, member=member)
            .first()
        )


@transaction.atomic
def attendance_record(
    *,
    scope: Scope,
    actor,
    meeting: Meeting,
    member: Member | None,
    status: str,
    reason: str = "",
    today: dt.date | None = None,
) -> Attendance:
    """An officer records how one person on the meeting's list stood: present, excused (with a reason) or
    absent (MTG-ATTENDANCE; a guest only present). Marked as recorded by the secretary (书记代录), or as a late
    entry (会后补录) when recorded after the meeting's day. `member` None (not found, not readable): refused on
    its field."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    today = today or timezone.localdate()
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="status")
    rules.record_check(meeting.status)
    line = _line(meeting, member) if member is not None else None
    if line is None:
        raise RuleViolation(
            "MTG-ATTENDANCE",
            _("该党员不在本次会议的名单中；列席人员请先添加（MTG-ATTENDANCE）"),
            field="member",
        )
    reason = (reason or "").strip()
    hygiene.check_text(reason, field="reason")
    rules.attendance_check(status, reason, expected=line.expected)
    if status == AttendanceStatus.PRESENT:
        reason = ""
    before = [line.status, line.reason]
    line.status = status
    line.reason = reason[: rules.EXCUSE_REASON_MAX]
    line.method = rules.record_method(_day(meeting), today)
    line.recorded_by = _user(actor)
    line.recorded_at = timezone.now()
    with unscoped():
        line.save(update_fields=["status", "reason", "method", "recorded_by", "recorded_at"])
    counts_refresh(meeting)
    record(
        actor=actor,
        action="attendance.record",
        target=meeting,
        org_id=meeting.org_id,
        changes={
            "member": line.member_id,
            "status": [before[0], status],
            "reason": [before[1], line.reason],
            "method": line.method,
        },
    )
    return line


@transaction.atomic
def guest_add(
    *, scope: Scope, actor, meeting: Meeting, member: Member | None, today: dt.date | None = None
) -> Attendance:
    """Someone the meeting did not expect attended — a mobile member of another org, a leader of the upper
    org: a line present, not expected, without a vote, not counted in the rate (MTG-ATTENDANCE)."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    today = today or timezone.localdate()
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="member")
    rules.record_check(meeting.status)
    if member is None or member.status not in ACTIVE_STATUSES:
        raise RuleViolation("MTG-ATTENDANCE", _("请选择列席的党员（MTG-ATTENDANCE）"), field="member")
    if _line(meeting, member) is not None:
        raise RuleViolation(
            "MTG-ATTENDANCE",
            _("%(name)s 已在本次会议的名单中（MTG-ATTENDANCE）") % {"name": member.name},
            field="member",
        )
    line = Attendance(
        meeting=meeting,
        member=member,
        expected=False,
        voting=False,
        status=AttendanceStatus.PRESENT,
        method=rules.record_method(_day(meeting), today),
        recorded_by=_user(actor),
        recorded_at=timezone.now(),
    )
    with unscoped():
        line.save()
    counts_refresh(meeting)
    record(
        actor=actor,
        action="attendance.guest_add",
        target=meeting,
        org_id=meeting.org_id,
        changes={"member": member.pk, "method": line.method},
    )
    return line


@transaction.atomic
def leave_request(
    *, scope: Scope, actor, meeting: Meeting, reason: str, now: dt.datetime | None = None
) -> Attendance:
    """The member asks leave for himself (his account's member record), with a reason, before the meeting
    starts (MTG-LEAVE). A caller who reads the meeting but is not on its roster is refused; anyone else finds
    no meeting."""
    own = own_member(scope=scope)
    line = None
    if own is not None:
        with unscoped():
            line = Attendance.objects.unscoped_all().filter(meeting=meeting, member=own).first()
    if line is None and not (scope.is_system or scope.covers(meeting.org.path)):
        raise NotFound
    now = now or timezone.now()
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="reason")
    reason = (reason or "").strip()
    hygiene.check_text(reason, field="reason")
    if line is not None:
        line = _line(meeting, line.member)
    rules.leave_request_check(
        status=meeting.status,
        own=own is not None,
        expected=line is not None and line.expected,
        attendance_status=line.status if line is not None else "",
        pending=line is not None and line.leave_requested_at is not None and line.leave_granted is None,
        reason=reason,
        now=timezone.localtime(now).replace(tzinfo=None),
        starts=rules.meeting_start(meeting.planned_on, meeting.starts_at),
    )
    line.leave_requested_at = now
    line.leave_reason = reason
    line.leave_granted = None
    line.leave_decided_at = None
    line.leave_decided_by = None
    with unscoped():
        line.save(
            update_fields=[
                "leave_requested_at",
                "leave_reason",
                "leave_granted",
                "leave_decided_at",
                "leave_decided_by",
            ]
        )
    record(
        actor=actor,
        action="attendance.leave_request",
        target=meeting,
        org_id=meeting.org_id,
        changes={"member": line.member_id, "reason": reason},
    )
    return line


@transaction.atomic
def leave_decide(*, scope: Scope, actor, attendance: Attendance, grant: bool) -> Attendance:
    """An officer grants or refuses a pending leave request before the minutes are final (MTG-LEAVE); granted,
    the member is excused with the reason he gave."""
    meeting = attendance.meeting
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="grant")
    line = _line(meeting, attendance.member)
    rules.leave_decide_check(
        status=meeting.status,
        pending=line.leave_requested_at is not None and line.leave_granted is None,
        minutes_final=is_final(meeting),
    )
    before = line.status
    now = timezone.now()
    line.status, line.reason = rules.leave_outcome(bool(grant), line.leave_reason, line.status, line.reason)
    line.leave_granted = bool(grant)
    line.leave_decided_at = now
    line.leave_decided_by = _user(actor)
    fields = ["status", "reason", "leave_granted", "leave_decided_at", "leave_decided_by"]
    if grant:
        line.recorded_by = _user(actor)
        line.recorded_at = now
        fields += ["recorded_by", "recorded_at"]
    with unscoped():
        line.save(update_fields=fields)
    counts_refresh(meeting)
    record(
        actor=actor,
        action="attendance.leave_decide",
        target=meeting,
        org_id=meeting.org_id,
        changes={"member": line.member_id, "grant": bool(grant), "status": [before, line.status]},
    )
    return line
