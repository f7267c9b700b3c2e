"""The minutes of a meeting through the API: the draft, finalizing, confirming, amendments, votes and the
appraisal grades (MTG-MINUTES-FINAL, MTG-MINUTES-LATE, MTG-QUORUM-*, MEM-APPRAISAL-GRADES).

Nothing here edits final minutes, attendance or votes: each write goes through a service that answers 422
MTG-MINUTES-FINAL once the minutes are final; a correction is an amendment."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS
from grassroots.members import selectors as member_selectors

from .. import selectors, services
from . import router


class MinutesIn(Schema):
    text: str = Field(max_length=100_000, description="the draft's whole text")


class AmendmentIn(Schema):
    text: str = Field(max_length=100_000, description="the correction")
    reason: str = Field(max_length=200, description="why it is corrected")


class VoteIn(Schema):
    subject: str = Field(max_length=16, description="admission, conversion, discipline or other")
    motion: str = Field(max_length=200)
    yes: int = Field(ge=0, le=1_000_000)
    no: int = Field(0, ge=0, le=1_000_000)
    abstain: int = Field(0, ge=0, le=1_000_000)
    member: int | None = Field(None, ge=1, le=2**62, description="the member the vote concerns, if any")
    reference: str = Field("", max_length=60)


class GradeIn(Schema):
    member: int = Field(ge=1, le=2**62)
    grade: str = Field(max_length=24, description="excellent, qualified, basically_qualified or unqualified")
    handling: str = Field(
        "", max_length=24, description="for an unqualified member: rectify, persuade_to_leave, remove"
    )
    note: str = Field("", max_length=200)


class AppraisalIn(Schema):
    grades: list[GradeIn] = Field(max_length=5000)


class AmendmentOut(Schema):
    id: int
    text: str
    reason: str
    author: str
    created_at: dt.datetime


class VoteOut(Schema):
    sequence: int
    subject: str
    motion: str
    member: int | None
    reference: str
    should_attend: int
    present: int
    yes: int
    no: int
    abstain: int
    quorum_met: bool
    passed: bool
    rule_id: str


class GradeOut(Schema):
    member: int
    name: str
    grade: str
    handling: str
    note: str


class MinutesOut(Schema):
    meeting: int
    state: str
    text: str
    is_late_entry: bool
    held_on: dt.date | None
    finalized_at: dt.datetime | None
    confirmed_at: dt.datetime | None
    amendments: list[AmendmentOut]
    votes: list[VoteOut]
    appraisal: list[GradeOut]


def _minutes_out(meeting) -> dict:
    minutes = selectors.minutes_of(meeting)
    return {
        "meeting": meeting.pk,
        "state": minutes.state if minutes else "draft",
        "text": minutes.text if minutes else "",
        "is_late_entry": bool(minutes and minutes.is_late_entry),
        "held_on": meeting.held_on,
        "finalized_at": minutes.finalized_at if minutes else None,
        "confirmed_at": minutes.confirmed_at if minutes else None,
        "amendments": [
            {
                "id": a.pk,
                "text": a.text,
                "reason": a.reason,
                "author": a.author_label,
                "created_at": a.created_at,
            }
            for a in selectors.amendments_of(meeting)
        ],
        "votes": [_vote_out(v) for v in selectors.votes_of(meeting)],
        "appraisal": [row for row in selectors.appraisal_rows(meeting) if row["grade"]]
        if meeting.kind == "appraisal"
        else [],
    }


def _vote_out(vote) -> dict:
    return {
        "sequence": vote.sequence,
        "subject": vote.subject,
        "motion": vote.motion,
        "member": vote.member_id,
        "reference": vote.reference,
        "should_attend": vote.should_attend,
        "present": vote.present,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "quorum_met": vote.quorum_met,
        "passed": vote.passed,
        "rule_id": vote.rule_id,
    }


def _meeting(request, meeting_id: int, roles=None):
    who = caller(request)
    return who, selectors.meeting_get(scope=who.scope, meeting_id=meeting_id, roles=roles)


@router.get("/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS})
def minutes_get(request: HttpRequest, meeting_id: int):
    """The minutes: text, state (draft, finalized, confirmed), the 补记 mark (MTG-MINUTES-LATE), the
    amendments beside the original, the votes with quorum and outcome, and an appraisal meeting's grades."""
    _who, meeting = _meeting(request, meeting_id)
    return _minutes_out(meeting)


@router.post("/{meeting_id}/minutes", response={200: MinutesOut, **ERRORS})
def minutes_save(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    """Save the draft (the recorder or an editor of the org); 422 MTG-MINUTES-FINAL once final."""
    who, meeting = _meeting(request, meeting_id)
    services.minutes_save(scope=who.scope, actor=who.user, meeting=meeting, text=payload.text)
    return _minutes_out(meeting)


@router.post("/{meeting_id}/finalize", response={200: MinutesOut, **ERRORS})
def minutes_finalize(request: HttpRequest, meeting_id: int):
    """Finalize the minutes (the recorder; an editor when no recorder with an account is named): the meeting
    is held, unrecorded attendance becomes absent, late minutes are marked 补记, and the record is sealed.
    422 MTG-DATES before the meeting, MTG-MINUTES-FINAL without text or when already final."""
    who, meeting = _meeting(request, meeting_id)
    services.minutes_finalize(scope=who.scope, actor=who.user, meeting=meeting, today=timezone.localdate())
    return _minutes_out(selectors.meeting_get(scope=who.scope, meeting_id=meeting_id))


@router.post("/{meeting_id}/confirm", response={200: MinutesOut, **ERRORS})
def minutes_confirm(request: HttpRequest, meeting_id: int):
    """The convener confirms finalized minutes (an editor when no convener with an account is named)."""
    who, meeting = _meeting(request, meeting_id)
    services.minutes_confirm(scope=who.scope, actor=who.user, meeting=meeting)
    return _minutes_out(meeting)


@router.post("/{meeting_id}/amendments", response={201: MinutesOut, **ERRORS})
def amendment_add(request: HttpRequest, meeting_id: int, payload: AmendmentIn):
    """Append a correction to final minutes, with its reason; sealed, and shown beside the original."""
    who, meeting = _meeting(request, meeting_id)
    services.amendment_add(
        scope=who.scope, actor=who.user, meeting=meeting, text=payload.text, reason=payload.reason
    )
    return Status(201, _minutes_out(meeting))


@router.post("/{meeting_id}/votes", response={201: VoteOut, **ERRORS})
def vote_record(request: HttpRequest, meeting_id: int, payload: VoteIn):
    """Record a vote at a general or committee meeting. Who should attend and who was present come from the
    meeting's attendance; 422 MTG-QUORUM-* without a quorum, MTG-MINUTES-FINAL once final; a vote that fails
    is recorded as not passed."""
    who, meeting = _meeting(request, meeting_id)
    data = payload.model_dump()
    member_id = data.pop("member")
    member = member_selectors.member_get(scope=who.scope, member_id=member_id) if member_id else None
    vote = services.vote_record(scope=who.scope, actor=who.user, meeting=meeting, member=member, **data)
    return Status(201, _vote_out(vote))


@router.post("/{meeting_id}/appraisal", response={200: MinutesOut, **ERRORS})
def appraisal_record(request: HttpRequest, meeting_id: int, payload: AppraisalIn):
    """Record grades of an appraisal meeting's members (MEM-APPRAISAL-GRADES over the whole meeting: at most
    one third excellent, an unqualified member with its handling); 422 MTG-MINUTES-FINAL once final."""
    who, meeting = _meeting(request, meeting_id)
    grades = {g.member: (g.grade, g.handling, g.note) for g in payload.grades}
    services.appraisal_record(scope=who.scope, actor=who.user, meeting=meeting, grades=grades)
    return _minutes_out(meeting)
