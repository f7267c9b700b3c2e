"""Votes inside meetings (表决): MTG-QUORUM-GENERAL, MTG-QUORUM-COMMITTEE.

Who should attend and who was present are the server's facts, derived from the meeting's attendance — never
the client's numbers: at a general meeting the voting members expected and those of them present; at a
committee meeting the committee's size (its expected roster) and the committee members present.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member

from .. import rules, selectors
from ..choices import AttendanceStatus, MeetingKind, MeetingStatus, VoteSubject
from ..models import Attendance, Meeting, Vote
from .guards import ensure_not_final
from .meetings import home_path

VOTING_KINDS = (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING)


def vote_roster(meeting: Meeting) -> tuple[int, int]:
    """(should attend, present) for a vote at `meeting`, from its attendance rows."""
    with unscoped():
        rows = Attendance.objects.unscoped_all().filter(meeting=meeting, expected=True)
        if meeting.kind == MeetingKind.GENERAL_MEETING:
            rows = rows.filter(voting=True)
        statuses = list(rows.values_list("status", flat=True))
    return len(statuses), sum(1 for s in statuses if s == AttendanceStatus.PRESENT)


@transaction.atomic
def vote_record(
    *,
    scope: Scope,
    actor,
    meeting: Meeting,
    subject: str,
    motion: str,
    yes: int,
    no: int = 0,
    abstain: int = 0,
    member: Member | None = None,
    reference: str = "",
) -> Vote:
    """Record a vote taken at a general or committee meeting. A vote without a quorum is refused
    (MTG-QUORUM-*); a vote with a quorum that fails is recorded as not passed. Refused once the minutes are
    final (MTG-MINUTES-FINAL)."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    with unscoped():
        meeting = (
            Meeting.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org", "minutes")
            .get(pk=meeting.pk)
        )
    ensure_not_final(meeting)
    if meeting.kind not in VOTING_KINDS:
        raise RuleViolation(
            "MTG-VOTE-KIND", _("只有支部党员大会和支委会可以表决（MTG-VOTE-KIND）"), field="subject"
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation("MTG-VOTE-KIND", _("会议已取消，不能记录表决（MTG-VOTE-KIND）"), field="subject")
    if subject not in VoteSubject.values:
        raise RuleViolation("API-VALIDATION", _("没有这种表决事项（API-VALIDATION）"), field="subject")
    motion = (motion or "").strip()
    reference = (reference or "").strip()
    if not motion:
        raise RuleViolation("MTG-TOPIC", _("请填写表决的议题（MTG-TOPIC）"), field="motion")
    hygiene.check_text(motion, field="motion")
    hygiene.check_text(reference, field="reference")
    for name, value in (("yes", yes), ("no", no), ("abstain", abstain)):
        hygiene.check_int(value, field=name, minimum=0, maximum=10**6)
    if member is not None and not member.org.path.startswith(home_path(meeting.org)):
        raise RuleViolation("MTG-PEOPLE", _("表决所涉党员须为本组织的党员（MTG-PEOPLE）"), field="member")
    should_attend, present = vote_roster(meeting)
    outcome = rules.vote_require_quorum(
        meeting.kind,
        rules.VoteCount(should_attend=should_attend, present=present, yes=yes, no=no, abstain=abstain),
    )
    with unscoped():
        last = Vote.objects.unscoped_all().filter(meeting=meeting).aggregate(n=Max("sequence"))["n"] or 0
        vote = Vote(
            meeting=meeting,
            sequence=last + 1,
            subject=subject,
            motion=motion[:200],
            member=member,
            reference=reference[:60],
            should_attend=should_attend,
            present=present,
            yes=yes,
            no=no,
            abstain=abstain,
            quorum_met=outcome.quorum_met,
            passed=outcome.passed,
            rule_id=outcome.rule_id,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        vote.save()
    record(
        actor=actor,
        action="vote.record",
        target=meeting,
        org_id=meeting.org_id,
        changes={
            "sequence": vote.sequence,
            "subject": subject,
            "motion": vote.motion,
            "member": getattr(member, "pk", None),
            "should_attend": should_attend,
            "present": present,
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "passed": outcome.passed,
        },
    )
    return vote
