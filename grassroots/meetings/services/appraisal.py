"""The yearly appraisal of members (民主评议党员): grades recorded at an appraisal meeting, MEM-APPRAISAL-GRADES
checked over the whole meeting's grades (at most one third excellent; an unqualified member with its
handling). Members come from the meeting's roster. Frozen with the minutes (MTG-MINUTES-FINAL)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped

from .. import rules, selectors
from ..choices import MeetingKind, MeetingStatus
from ..models import AppraisalRecord, Attendance, Meeting
from .guards import ensure_not_final

RULE = "MEM-APPRAISAL-GRADES"


def _member_id(member) -> int:
    return member if isinstance(member, int) else member.pk


@transaction.atomic
def appraisal_record(
    *, scope: Scope, actor, meeting: Meeting, grades: Mapping[object, tuple[str, str, str]]
) -> list[AppraisalRecord]:
    """Record (or change, while the minutes are a draft) the grades of members of an appraisal meeting's
    roster: `grades` maps a member (or its id) to (grade, handling, note). The whole meeting's grades, those
    stored and these, are checked together (MEM-APPRAISAL-GRADES)."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    with unscoped():
        meeting = (
            Meeting.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org", "minutes")
            .get(pk=meeting.pk)
        )
    ensure_not_final(meeting, field="grades")
    if meeting.kind != MeetingKind.APPRAISAL:
        raise RuleViolation(
            RULE, _("只有民主评议党员会议记录评议等次（MEM-APPRAISAL-GRADES）"), field="grades"
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise RuleViolation(RULE, _("会议已取消，不能记录评议等次（MEM-APPRAISAL-GRADES）"), field="grades")
    given = {_member_id(m): tuple(v) for m, v in grades.items()}
    if not given:
        raise RuleViolation(RULE, _("请至少为一名党员评定等次（MEM-APPRAISAL-GRADES）"), field="grades")
    with unscoped():
        roster = dict(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True)
            .values_list("member_id", "member__name")
        )
        stored = {
            row.member_id: row for row in AppraisalRecord.objects.unscoped_all().filter(meeting=meeting)
        }
    strangers = sorted(set(given) - set(roster))
    if strangers:
        raise RuleViolation(
            RULE,
            _("编号%(ids)s的人员不在本次评议的党员名单中（MEM-APPRAISAL-GRADES）")
            % {"ids": "、".join(str(i) for i in strangers)},
            field="grades",
        )
    for grade, handling, note in given.values():
        hygiene.check_text(note or "", field="note")
        hygiene.check_text(handling or "", field="handling")
        hygiene.check_text(grade or "", field="grades")
    whole = {member_id: (row.grade, row.handling) for member_id, row in stored.items()}
    whole.update(
        {member_id: (grade, handling or "") for member_id, (grade, handling, _note) in given.items()}
    )
    rules.appraisal_check(
        {m: g for m, (g, _h) in whole.items()},
        {m: h for m, (_g, h) in whole.items() if h},
        len(roster),
        names=roster,
    )
    user = actor if getattr(actor, "pk", None) else None
    out = []
    changes = {}
    with unscoped():
        for member_id, (grade, handling, note) in sorted(given.items()):
            row = stored.get(member_id)
            if row is None:
                row = AppraisalRecord(meeting=meeting, member_id=member_id)
            before = (row.grade, row.handling, row.note)
            row.grade, row.handling, row.note, row.recorded_by = (
                grade,
                handling or "",
                (note or "")[:200],
                user,
            )
            row.save()
            if before != (row.grade, row.handling, row.note):
                changes[str(member_id)] = [
                    list(before) if before[0] else None,
                    [row.grade, row.handling, row.note],
                ]
            out.append(row)
    record(actor=actor, action="appraisal.record", target=meeting, org_id=meeting.org_id, changes=changes)
    return out
