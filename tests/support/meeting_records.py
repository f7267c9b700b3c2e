"""Finalized meeting records for the tests of what reads them (the register, the member's page), built through
the ORM under unscoped(): the finalize and amendment services are another part's, and these tests need only the
stored rows they leave — minutes made final (补记 when asked), attendance recorded with the stored counts, an
amendment appended and a vote row."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.meetings.choices import AttendanceStatus, MeetingStatus, MinutesState, SignInMethod
from grassroots.meetings.models import Attendance, Meeting, MinutesAmendment, Vote


def attend(meeting: Meeting, statuses: dict, reasons: dict | None = None) -> None:
    """Record the attendance of `meeting` ({member: status}; unnamed expected members absent) and its counts."""
    reasons = reasons or {}
    by_id = {m.pk: s for m, s in statuses.items()}
    with unscoped():
        rows = list(Attendance.objects.unscoped_all().filter(meeting=meeting))
        for row in rows:
            row.status = by_id.get(row.member_id, AttendanceStatus.ABSENT)
            row.reason = next((r for m, r in reasons.items() if m.pk == row.member_id), "")
            row.method = SignInMethod.SECRETARY if row.status == AttendanceStatus.PRESENT else ""
            row.save()
        counts = {s: sum(1 for r in rows if r.status == s) for s in AttendanceStatus.values}
        Meeting.objects.unscoped_all().filter(pk=meeting.pk).update(
            present_count=counts[AttendanceStatus.PRESENT],
            excused_count=counts[AttendanceStatus.EXCUSED],
            absent_count=counts[AttendanceStatus.ABSENT],
        )


def finalize(
    meeting: Meeting,
    text: str,
    *,
    late: bool = False,
    state: str = MinutesState.FINALIZED,
    finalized_at: dt.datetime | None = None,
) -> None:
    """The meeting held, its minutes text final (补记 when `late`)."""
    with unscoped():
        Meeting.objects.unscoped_all().filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD, held_on=meeting.planned_on
        )
        minutes = meeting.minutes
        minutes.text = text
        minutes.state = state
        minutes.finalized_at = finalized_at or timezone.now()
        minutes.is_late_entry = late
        minutes.save()


def amend(meeting: Meeting, text: str, reason: str, author: str = "李四") -> MinutesAmendment:
    with unscoped():
        return MinutesAmendment.objects.unscoped_all().create(
            minutes=meeting.minutes, text=text, reason=reason, author_label=author
        )


def vote(
    meeting: Meeting, motion: str, *, should: int, present: int, yes: int, no: int = 0, abstain: int = 0
):
    with unscoped():
        sequence = Vote.objects.unscoped_all().filter(meeting=meeting).count() + 1
        return Vote.objects.unscoped_all().create(
            meeting=meeting,
            sequence=sequence,
            subject="other",
            motion=motion,
            should_attend=should,
            present=present,
            yes=yes,
            no=no,
            abstain=abstain,
            quorum_met=present * 2 > should,
            passed=yes * 2 > should,
            rule_id="MTG-QUORUM-GENERAL",
        )
