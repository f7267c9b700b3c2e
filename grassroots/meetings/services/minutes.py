"""The minutes (会议记录): the draft, finalizing (sealed), confirming, and amendments (MTG-MINUTES-FINAL,
MTG-MINUTES-LATE).

Who may act (decided here, documented in docs/meetings.md):
- the draft is written by the meeting's recorder (their own account) or by an editor of the org (MEETING_EDIT:
  a secretary or officer, who often types the paper minutes in);
- finalizing is the recorder's act: when the recorder has an account, only that account finalizes; when no
  recorder is named, or the recorder has no account, an editor of the org finalizes;
- confirming is the convener's act on the same terms (the convener's own account, else an editor);
- an amendment is added by the recorder's or the convener's account, or by an editor of the org.
The system scope (seeding, commands) may do each.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member

from .. import lapse_store, rules, selectors
from ..choices import AttendanceStatus, MeetingStatus, MinutesState
from ..models import Attendance, Meeting, Minutes, MinutesAmendment
from . import cadence, seals
from .guards import ensure_not_final
from .meetings import counts_refresh

TEXT_MAX = 100_000


def _user_of(member: Member | None) -> int | None:
    return getattr(member, "user_id", None) if member is not None else None


def is_person(scope: Scope, actor, person: Member | None) -> bool:
    """Whether `actor` is `person`'s own account."""
    user_id = _user_of(person)
    return user_id is not None and getattr(actor, "pk", None) == user_id and scope.user_id == user_id


def may_act_as(scope: Scope, actor, meeting: Meeting, person: Member | None) -> bool:
    """The named person's own account; without one (or without a person named), an editor of the org."""
    if scope.is_system:
        return True
    if not scope.covers(meeting.org.path):
        return False
    if _user_of(person) is not None:
        return is_person(scope, actor, person)
    return permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path)


def _require_as(scope: Scope, actor, meeting: Meeting, person: Member | None, message: str) -> None:
    """The named person's own account; without one, an editor of the org (403 for others). An editor who is
    not the named person is told who acts (MTG-PEOPLE)."""
    if scope.is_system:
        return
    if not scope.covers(meeting.org.path):
        raise NotFound
    if _user_of(person) is None:
        permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
        return
    if is_person(scope, actor, person):
        return
    if permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path):
        raise RuleViolation("MTG-PEOPLE", message % {"name": person.name} + "（MTG-PEOPLE）")
    raise PermissionDenied


def may_draft(scope: Scope, actor, meeting: Meeting) -> bool:
    return (
        scope.is_system
        or is_person(scope, actor, meeting.recorder)
        or permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path)
    )


def may_amend(scope: Scope, actor, meeting: Meeting) -> bool:
    return may_draft(scope, actor, meeting) or is_person(scope, actor, meeting.convener)


def _locked_minutes(meeting: Meeting) -> Minutes:
    """The meeting's minutes row, locked for this transaction (re-read: the state is the database's)."""
    with unscoped():
        minutes = Minutes.objects.unscoped_all().select_for_update().filter(meeting=meeting).first()
        if minutes is None:  # meetings made before the foundation created their minutes with them
            minutes = Minutes.objects.unscoped_all().create(meeting=meeting)
    meeting.minutes = minutes
    return minutes


def _actor_label(actor) -> str:
    return str(actor) if actor is not None else _("系统")


@transaction.atomic
def minutes_save(*, scope: Scope, actor, meeting: Meeting, text: str) -> Minutes:
    """Save the draft of the minutes (the recorder or an editor of the org). Refused once final."""
    if not scope.is_system and not scope.covers(meeting.org.path):
        raise NotFound
    if not may_draft(scope, actor, meeting):
        permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    minutes = _locked_minutes(meeting)
    ensure_not_final(meeting, field="text")
    text = (text or "").replace("\r\n", "\n")
    hygiene.check_text(text, field="text")
    if len(text) > TEXT_MAX:
        raise RuleViolation(
            "INPUT-SIZE", _("会议记录不能超过%(max)d个字（INPUT-SIZE）") % {"max": TEXT_MAX}, field="text"
        )
    before = len(minutes.text)
    minutes.text = text
    minutes.drafted_by = actor if getattr(actor, "pk", None) else None
    with unscoped():
        minutes.save(update_fields=["text", "drafted_by", "updated_at"])
    record(
        actor=actor,
        action="minutes.save",
        target=meeting,
        org_id=meeting.org_id,
        changes={"text_length": [before, len(text)]},
    )
    return minutes


@transaction.atomic
def minutes_finalize(*, scope: Scope, actor, meeting: Meeting, today: dt.date | None = None) -> Minutes:
    """Finalize the minutes (the recorder): the meeting is marked held (on its planned date unless already
    marked held), everyone expected whose attendance is still unrecorded is recorded absent, the 补记 mark is
    set (MTG-MINUTES-LATE), the record is sealed and counted for the org's cadence. From now on the text, the
    attendance, the votes and the grades never change (MTG-MINUTES-FINAL)."""
    _require_as(scope, actor, meeting, meeting.recorder, _("会议记录须由记录人%(name)s本人定稿"))
    today = today or timezone.localdate()
    with unscoped():
        meeting = (
            Meeting.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org")
            .get(pk=meeting.pk)
        )
    minutes = _locked_minutes(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(
            "MTG-MINUTES-FINAL", _("会议已取消，没有会议记录可定稿（MTG-MINUTES-FINAL）"), field="state"
        )
    held_on = (
        meeting.held_on if meeting.status == MeetingStatus.HELD and meeting.held_on else meeting.planned_on
    )
    rules.finalize_check(held_on, today, bool(minutes.text.strip()), minutes.state)
    now = timezone.now()
    with unscoped():
        absent = (
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True, status="")
            .update(
                status=AttendanceStatus.ABSENT,
                recorded_by=actor if getattr(actor, "pk", None) else None,
                recorded_at=now,
            )
        )
    counts_refresh(meeting, save=False)
    meeting.status = MeetingStatus.HELD
    meeting.held_on = held_on
    with unscoped():
        meeting.save(
            update_fields=[
                "status",
                "held_on",
                "expected_count",
                "present_count",
                "excused_count",
                "absent_count",
                "guest_count",
                "updated_at",
            ]
        )
    policy = selectors.policy_for(meeting.org, held_on)
    minutes.state = MinutesState.FINALIZED
    minutes.finalized_at = now
    minutes.finalized_by = actor if getattr(actor, "pk", None) else None
    minutes.is_late_entry = rules.is_late_entry(held_on, today, policy.minutes_late_days)
    with unscoped():
        minutes.save(update_fields=["state", "finalized_at", "finalized_by", "is_late_entry", "updated_at"])
    seal = seals.seal_minutes(meeting)
    cadence.meeting_counted(meeting)
    lapse_store.sync_meeting_on_commit(meeting.pk, today=today)
    record(
        actor=actor,
        action="minutes.finalize",
        target=meeting,
        org_id=meeting.org_id,
        changes={
            "state": [MinutesState.DRAFT, MinutesState.FINALIZED],
            "held_on": held_on.isoformat(),
            "is_late_entry": minutes.is_late_entry,
            "absent_recorded": absent,
            "seal": seal.seq,
        },
    )
    return minutes


@transaction.atomic
def minutes_confirm(*, scope: Scope, actor, meeting: Meeting) -> Minutes:
    """The convener confirms finalized minutes (主持人确认). Only after finalizing, once."""
    _require_as(scope, actor, meeting, meeting.convener, _("会议记录须由主持人%(name)s本人确认"))
    minutes = _locked_minutes(meeting)
    if minutes.state == MinutesState.DRAFT:
        raise RuleViolation(
            "MTG-MINUTES-FINAL",
            _("会议记录须先由记录人定稿，主持人才能确认（MTG-MINUTES-FINAL）"),
            field="state",
        )
    if minutes.state == MinutesState.CONFIRMED:
        raise RuleViolation("MTG-MINUTES-FINAL", _("会议记录已经确认（MTG-MINUTES-FINAL）"), field="state")
    minutes.state = MinutesState.CONFIRMED
    minutes.confirmed_at = timezone.now()
    minutes.confirmed_by = actor if getattr(actor, "pk", None) else None
    with unscoped():
        minutes.save(update_fields=["state", "confirmed_at", "confirmed_by", "updated_at"])
    record(
        actor=actor,
        action="minutes.confirm",
        target=meeting,
        org_id=meeting.org_id,
        changes={"state": [MinutesState.FINALIZED, MinutesState.CONFIRMED]},
    )
    return minutes


@transaction.atomic
def amendment_add(*, scope: Scope, actor, meeting: Meeting, text: str, reason: str) -> MinutesAmendment:
    """Append a correction (更正说明) to final minutes: its text, reason, author and time, sealed and chained;
    the original stays as it was, and both are shown."""
    if not scope.is_system and not scope.covers(meeting.org.path):
        raise NotFound
    if not may_amend(scope, actor, meeting):
        permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    minutes = _locked_minutes(meeting)
    if minutes.state == MinutesState.DRAFT:
        raise RuleViolation(
            "MTG-MINUTES-FINAL",
            _("会议记录尚未定稿，请直接修改草稿；定稿后的更正才用更正说明（MTG-MINUTES-FINAL）"),
            field="text",
        )
    text = (text or "").replace("\r\n", "\n").strip()
    reason = (reason or "").strip()
    hygiene.check_text(text, field="text")
    hygiene.check_text(reason, field="reason")
    rules.amendment_check(text, reason)
    if len(text) > TEXT_MAX:
        raise RuleViolation(
            "INPUT-SIZE", _("更正内容不能超过%(max)d个字（INPUT-SIZE）") % {"max": TEXT_MAX}, field="text"
        )
    amendment = MinutesAmendment(
        minutes=minutes,
        text=text,
        reason=reason,
        author=actor if getattr(actor, "pk", None) else None,
        author_label=_actor_label(actor)[:150],
    )
    with unscoped():
        amendment.save()
    seal = seals.seal_amendment(meeting, amendment)
    record(
        actor=actor,
        action="minutes.amend",
        target=meeting,
        org_id=meeting.org_id,
        changes={"amendment": amendment.pk, "reason": reason, "seal": seal.seq},
    )
    return amendment
