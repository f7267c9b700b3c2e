"""Arranging a meeting and its life: `meeting_create` (with its derived roster and its notices),
`meeting_update` (while planned; the roster derived again while nothing is recorded), `meeting_hold`,
`meeting_cancel` (with a notice to those expected) — MTG-STATUS."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from .. import rules, selectors
from ..choices import AttendanceStatus, MeetingKind, MeetingStatus, NoticeChannel
from ..models import Attendance, Meeting, MeetingNotice, Minutes
from .guards import ensure_not_final

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
    when = meeting.planned_on.isoformat() + (f" {meeting.starts_at:%H:%M}" if meeting.starts_at else "")
    text = _("会议通知：%(when)s %(kind)s「%(topic)s」%(place)s") % {
        "when": when,
        "kind": meeting.get_kind_display(),
        "topic": meeting.topic,
        "place": meeting.place,
    }
    return _notify(meeting, text)


def _check_arrangement(
    org: Org,
    *,
    kind: str,
    topic: str,
    agenda: str,
    place: str,
    planned_on: dt.date,
    starts_at: dt.time | None,
    ends_at: dt.time | None,
) -> None:
    """What arranging (or re-arranging) a meeting checks: the org holds that kind of meeting on that day
    (MTG-KIND, a committee in office for a committee meeting), a topic (MTG-TOPIC), clean text, a plausible
    date and an end after the start (MTG-DATES)."""
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
    if not topic:
        raise RuleViolation("MTG-TOPIC", _("请填写会议主题（MTG-TOPIC）"), field="topic")
    _check_text(topic=topic, agenda=agenda, place=place)
    hygiene.check_date(planned_on, field="planned_on")
    if starts_at and ends_at and ends_at <= starts_at:
        raise RuleViolation("MTG-DATES", _("结束时间须晚于开始时间（MTG-DATES）"), field="ends_at")


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
    topic = (topic or "").strip()
    _check_arrangement(
        org,
        kind=kind,
        topic=topic,
        agenda=agenda,
        place=place,
        planned_on=planned_on,
        starts_at=starts_at,
        ends_at=ends_at,
    )
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


# ---------------------------------------------------------------------------------------------------------
# The meeting's life after it is arranged (MTG-STATUS): edited while planned, then held or cancelled.

_UNSET = object()
# The fields whose change can change who should attend (the org itself never changes).
ROSTER_FIELDS = ("kind", "planned_on")
# The fields whose change is worth a notice to those expected.
NOTICE_FIELDS = ("kind", "planned_on", "starts_at", "ends_at", "place")


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's row, locked for this transaction and re-read (its status is the database's)."""
    with unscoped():
        return (
            Meeting.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org", "minutes", "convener", "recorder")
            .get(pk=meeting.pk)
        )


def _notify(meeting: Meeting, text: str) -> int:
    """An in-app notice with `text` to everyone expected at `meeting`."""
    now = timezone.now()
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


def roster_is_untouched(meeting: Meeting) -> bool:
    """Whether nothing is recorded at `meeting` yet: no status, no guest, no leave request — its roster is
    still only derived and may be derived again."""
    with unscoped():
        return (
            not Attendance.objects.unscoped_all()
            .filter(meeting=meeting)
            .filter(~Q(status="") | Q(expected=False) | Q(leave_requested_at__isnull=False))
            .exists()
        )


def _roster_rebuild(meeting: Meeting) -> int:
    """Derive the roster again for the meeting's current kind and date. Only while nothing is recorded
    (`roster_is_untouched`): the rows removed are derived rows that hold no fact."""
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting).delete()
    return roster_build(meeting)


@transaction.atomic
def meeting_update(
    *,
    scope: Scope,
    actor,
    meeting: Meeting,
    kind=_UNSET,
    topic=_UNSET,
    planned_on=_UNSET,
    starts_at=_UNSET,
    ends_at=_UNSET,
    place=_UNSET,
    agenda=_UNSET,
    convener=_UNSET,
    recorder=_UNSET,
) -> Meeting:
    """Change a planned meeting's arrangements (MTG-STATUS). When its kind or date changes and nothing is
    recorded yet, who should attend is derived again; when the time or place changes, those expected get a
    notice. Fields not given stay as they are."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    meeting = _locked(meeting)
    ensure_not_final(meeting)
    rules.edit_check(meeting.status)
    given = {
        name: value
        for name, value in {
            "kind": kind,
            "topic": topic,
            "planned_on": planned_on,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "agenda": agenda,
            "convener": convener,
            "recorder": recorder,
        }.items()
        if value is not _UNSET
    }
    if "topic" in given:
        given["topic"] = (given["topic"] or "").strip()
    for name in ("place", "agenda"):
        if name in given:
            given[name] = given[name] or ""
    after = {name: given.get(name, getattr(meeting, name)) for name in (*ROSTER_FIELDS, *TEXT_FIELDS)}
    after |= {name: given.get(name, getattr(meeting, name)) for name in ("starts_at", "ends_at")}
    _check_arrangement(
        meeting.org,
        kind=after["kind"],
        topic=after["topic"],
        agenda=after["agenda"],
        place=after["place"],
        planned_on=after["planned_on"],
        starts_at=after["starts_at"],
        ends_at=after["ends_at"],
    )
    check_person(meeting.org, given.get("convener"), "convener")
    check_person(meeting.org, given.get("recorder"), "recorder")
    changes = {}
    for name, value in given.items():
        before = getattr(meeting, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(meeting, name, value)
    if not changes:
        return meeting
    with unscoped():
        meeting.save()
    if any(name in changes for name in ROSTER_FIELDS):
        if roster_is_untouched(meeting):
            changes["expected"] = [meeting.expected_count, _roster_rebuild(meeting)]
        else:
            changes["roster_kept"] = True
    if any(name in changes for name in NOTICE_FIELDS):
        when = meeting.planned_on.isoformat() + (f" {meeting.starts_at:%H:%M}" if meeting.starts_at else "")
        changes["notified"] = _notify(
            meeting,
            _("会议变更通知：%(kind)s「%(topic)s」改为 %(when)s %(place)s")
            % {
                "kind": meeting.get_kind_display(),
                "topic": meeting.topic,
                "when": when,
                "place": meeting.place,
            },
        )
    record(actor=actor, action="meeting.update", target=meeting, org_id=meeting.org_id, changes=changes)
    return meeting


def _plain(value):
    """A value as the audit trail keeps it."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Member):
        return value.pk
    return value


@transaction.atomic
def meeting_hold(
    *, scope: Scope, actor, meeting: Meeting, held_on: dt.date, today: dt.date | None = None
) -> Meeting:
    """Mark a planned meeting held on `held_on` (not after today; MTG-STATUS, MTG-DATES)."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    today = today or timezone.localdate()
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="held_on")
    rules.hold_check(meeting.status, held_on, today)
    hygiene.check_date(held_on, field="held_on")
    meeting.status = MeetingStatus.HELD
    meeting.held_on = held_on
    counts_refresh(meeting, save=False)
    with unscoped():
        meeting.save(update_fields=["status", "held_on", *COUNT_FIELDS, "updated_at"])
    record(
        actor=actor,
        action="meeting.hold",
        target=meeting,
        org_id=meeting.org_id,
        changes={"status": [MeetingStatus.PLANNED, MeetingStatus.HELD], "held_on": held_on.isoformat()},
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, scope: Scope, actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting with a reason (MTG-STATUS); those expected get a cancellation notice. The
    meeting stays, marked cancelled."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    meeting = _locked(meeting)
    ensure_not_final(meeting, field="reason")
    reason = (reason or "").strip()
    hygiene.check_text(reason, field="reason")
    rules.cancel_check(meeting.status, reason)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    with unscoped():
        meeting.save(update_fields=["status", "cancelled_reason", "updated_at"])
    notified = _notify(
        meeting,
        _("会议取消通知：原定 %(day)s 的%(kind)s「%(topic)s」已取消。原因：%(reason)s")
        % {
            "day": meeting.planned_on.isoformat(),
            "kind": meeting.get_kind_display(),
            "topic": meeting.topic,
            "reason": reason,
        },
    )
    record(
        actor=actor,
        action="meeting.cancel",
        target=meeting,
        org_id=meeting.org_id,
        changes={
            "status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED],
            "reason": reason,
            "notified": notified,
        },
    )
    return meeting
