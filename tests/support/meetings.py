"""Meetings made final in tests, while the finalize service is another part's: `finalized(meeting, held_on)`
marks the meeting held on `held_on`, sets its minutes' state through the ORM (unscoped) and calls the cadence
hook the finalize service calls, in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.meetings.choices import MeetingStatus, MinutesState
from grassroots.meetings.models import Meeting, Minutes
from grassroots.meetings.services import meeting_counted


def finalized(meeting: Meeting, held_on: dt.date | None = None) -> Meeting:
    with transaction.atomic(), unscoped():
        meeting.held_on = held_on or meeting.planned_on
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["held_on", "status", "updated_at"])
        Minutes.objects.unscoped_all().filter(meeting=meeting).update(
            state=MinutesState.FINALIZED, finalized_at=timezone.now()
        )
        meeting_counted(meeting)
    return meeting
