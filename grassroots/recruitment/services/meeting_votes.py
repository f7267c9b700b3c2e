"""A branch vote or conversion vote recorded from the general meeting where it was taken (issue 10, item 3).

With `meeting` (a meeting id) in the vote step's payload, who was present is taken from that meeting's
attendance — the server's record, not the caller's numbers: the roster's `present` is the branch's full
members on the vote date recorded present there; exclusions and written opinions still come from the payload.
The counts the roster gives (should attend, present, written yes) are dropped from the payload. The meeting is
kept in the step's facts (`MEETING_FACT`), so the dossier links back to it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope
from grassroots.meetings import selectors as meeting_selectors
from grassroots.meetings.choices import MeetingKind, MeetingStatus
from grassroots.members import selectors as member_selectors

from .. import selectors
from ..models import Applicant

MEETING_FIELD = "meeting"
MEETING_FACT = "meeting"
RULE = "REC-VOTERS-FULL"


def _refuse(message: str) -> RuleViolation:
    return RuleViolation(RULE, f"{message}（{RULE}）", field=MEETING_FIELD)


def roster_from_meeting(
    *, scope: Scope, applicant: Applicant, on: dt.date, payload: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    """The payload with its roster's `present` taken from the meeting it names, and the meeting's id."""
    payload = dict(payload)
    meeting_id = payload.pop(MEETING_FIELD)
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int) or not 0 < meeting_id < 2**62:
        raise RuleViolation(
            "API-VALIDATION", _("输入有误：会议应为会议编号（API-VALIDATION）"), field=MEETING_FIELD
        )
    try:
        meeting = meeting_selectors.meeting_get(scope=scope, meeting_id=meeting_id)
    except NotFound:
        raise _refuse(_("找不到该会议")) from None
    if meeting.kind != MeetingKind.GENERAL_MEETING or meeting.org_id != applicant.org_id:
        raise _refuse(_("表决须在本支部的党员大会上进行"))
    if meeting.status == MeetingStatus.CANCELLED:
        raise _refuse(_("该会议已取消"))
    if (meeting.held_on or meeting.planned_on) != on:
        raise _refuse(
            _("表决日期须为该党员大会的召开日期（%(date)s）")
            % {"date": (meeting.held_on or meeting.planned_on).isoformat()}
        )
    electorate = {m.pk for m in member_selectors.full_members_on(scope=scope, org=applicant.org, on=on)}
    given = payload.get(selectors.ROSTER_FIELD) or {}
    if not isinstance(given, dict):
        given = {}
    payload[selectors.ROSTER_FIELD] = {
        "present": [pk for pk in meeting_selectors.present_member_ids(meeting) if pk in electorate],
        "excluded": given.get("excluded", []),
        "written": given.get("written", []),
    }
    for name in selectors.ROSTER_COUNTS:
        payload.pop(name, None)
    return payload, meeting.pk
