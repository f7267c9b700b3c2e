"""Arranging a meeting: `meeting_create` (with its derived roster and its notices)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from .. import selectors
from ..choices import AttendanceStatus, MeetingKind, NoticeChannel
from ..models import Attendance, Meeting, MeetingNotice, Minutes

TEXT_FIELDS = ("topic", "agenda", "place")


def _check_text(**values: str) -> None:
    for name, value in values.items():
        hygiene.check_text(value, field=name)


def home_path(org: Org) -> str:
    """The path whose members belong to `org`'s meetings: a group's members belong to its branch."""
    return org.path[: -Org.steplen] if org.kind == OrgKind.GROUP else org.path


def check_person(org: Org, member: Member | None, field: str) -> None:
    """A convener or recorder is a member of the meeting's org (of its branch, for a group)."""
    if member is not None and not member.org.path.startswith(home_path(org)):
        raise RuleViolation("MTG-PEOPLE", _("主持人和记录人须为本组织的党员（MTG-PEOPLE）"), field=field)


def roster_build(meeting: Meeting) -> int:
    """Write the expected roster of `meeting` (derived: `selectors.expected_roster`) and its stored counts.
    Only for a meeting whose minutes are not final. Returns the number expected."""
    roster = selectors.expected_roster(meeting.org, meeting.kind, meeting.planned_on)
    with unscoped():
        Attendance.objects.unscoped_all().bulk_create(
            [Attendance(meeting=meeting, member_id=pk, expected=True, voting=voting) for pk, voting in roster]
        )
    meeting.expected_count = len(roster)
    meeting.save(update_fields=["expected_count", "updated_at"])
    return len(roster)


COUNT_FIELDS = ["expected_count", "present_count", "excused_count", "absent_count", "guest_count"]


def counts_refresh(meeting: Meeting, *, save: bool = True) -> Meeting:
    """The meeting's stored attendance counts, derived from its attendance rows (never from a caller's
    numbers); saved unless `save` is False (the caller saves them with its own fields)."""
    with unscoped():
        rows = list(
            Attendance.objects.unscoped_all().filter(meeting=meeting).values_list("expected", "status")
        )
    meeting.present_count = sum(1 for expected, s in rows if expected and s == AttendanceStatus.PRESENT)
    meeting.excused_count = sum(1 for expected, s in rows if expected and s == AttendanceStatus.EXCUSED)
    meeting.absent_count = sum(1 for expected, s in rows if expected and s == AttendanceStatus.ABSENT)
    meeting.guest_count = sum(1 for expected, s in rows if not expected and s == AttendanceStatus.PRESENT)
    meeting.expected_count = sum(1 for expected, _s in rows if expected)
    if save:
        with unscoped():
            meeting.save(update_fields=[*COUNT_FIELDS, "updated_at"])
    return meeting


def notices_send(meeting: Meeting) -> int:
    """The in-app notice of `meeting` to everyone expected (e-mail and SMS adapters hook in here later)."""
    now = timezone.now()
    when = meeting.planned_on.isoformat() + (f" {meeting.starts_at:%H:%M}" if meeting.starts_at else "")
    text = _("会议通知：%(when)s %(kind)s「%(topic)s」%(place)s") % {
        "when": when,
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "place": meeting.place,
    }
    with unscoped():
        ids = list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True)
            .values_list("member_id", flat=True)
        )
        MeetingNotice.objects.unscoped_all().bulk_create(
            [
                MeetingNotice(
                    meeting=meeting, member_id=pk, channel=NoticeChannel.IN_APP, text=text[:300], sent_at=now
                )
                for pk in ids
            ]
        )
    return len(ids)


@transaction.atomic
def meeting_create(
    *,
    scope: Scope,
    actor,
    org: Org,
    kind: str,
    topic: str,
    planned_on: dt.date,
    starts_at: dt.time | None = None,
    ends_at: dt.time | None = None,
    place: str = "",
    agenda: str = "",
    convener: Member | None = None,
    recorder: Member | None = None,
    notify: bool = True,
) -> Meeting:
    """Arrange a meeting of `org`: the roster of who should attend is derived from the org, the kind and the
    date; each of them gets a notice. Secretaries and officers of the org (MEETING_EDIT)."""
    permissions.require(scope, selectors.MEETING_EDIT, org.path)
    if kind not in MeetingKind.values:
        raise RuleViolation("MTG-KIND", _("没有这种会议类型（MTG-KIND）"), field="kind")
    if org.kind not in selectors.HOLDERS[kind]:
        raise RuleViolation(
            "MTG-KIND",
            _("%(org)s 不召开%(kind)s（MTG-KIND）") % {"org": org.name, "kind": MeetingKind(kind).label},
            field="kind",
        )
    if org.ended_on is not None and org.ended_on <= planned_on:
        raise RuleViolation("MTG-KIND", _("该组织已撤销，不能安排会议（MTG-KIND）"), field="org")
    if kind == MeetingKind.COMMITTEE_MEETING and selectors.committee_on(org, planned_on) is None:
        raise RuleViolation(
            "MTG-QUORUM-COMMITTEE",
            _("该组织在会议日期没有在任的委员会，不能召开支委会（MTG-QUORUM-COMMITTEE）"),
            field="kind",
        )
    topic = (topic or "").strip()
    if not topic:
        raise RuleViolation("MTG-TOPIC", _("请填写会议主题（MTG-TOPIC）"), field="topic")
    _check_text(topic=topic, agenda=agenda, place=place)
    hygiene.check_date(planned_on, field="planned_on")
    if starts_at and ends_at and ends_at <= starts_at:
        raise RuleViolation("MTG-DATES", _("结束时间须晚于开始时间（MTG-DATES）"), field="ends_at")
    check_person(org, convener, "convener")
    check_person(org, recorder, "recorder")
    meeting = Meeting(
        org=org,
        kind=kind,
        topic=topic,
        agenda=agenda,
        place=place,
        planned_on=planned_on,
        starts_at=starts_at,
        ends_at=ends_at,
        convener=convener,
        recorder=recorder,
        sign_in_secret=secrets.token_hex(20),
        created_by=actor,
    )
    with unscoped():
        meeting.save()
        Minutes.objects.unscoped_all().create(meeting=meeting)
    roster_build(meeting)
    record(
        actor=actor,
        action="meeting.create",
        target=meeting,
        org_id=org.pk,
        changes={
            "kind": kind,
            "topic": topic,
            "planned_on": planned_on.isoformat(),
            "expected": meeting.expected_count,
        },
    )
    if notify:
        notices_send(meeting)
    return meeting
