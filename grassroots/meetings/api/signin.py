"""Signing in at a meeting through the API (MTG-SIGN-IN): the code the screen shows (the convener, the
recorder, the org's officers) and the member's own sign-in by that code or its QR code.

A refusal answers 422 {rule_id, message, field}: outside the window, a wrong or expired code, too many wrong
codes, a member already signed in, a cancelled meeting (MTG-SIGN-IN); final minutes (MTG-MINUTES-FINAL)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Schema

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS

from .. import selectors, services
from . import router


class SignInCodeOut(Schema):
    meeting: int
    topic: str
    state: str = Field(description="open, not_yet, closed, cancelled or final; a code only while open")
    code: str | None = Field(description="the code shown now (6 digits)")
    step_seconds: int = Field(description="how often the code changes")
    refresh_at: dt.datetime | None = Field(description="when the screen shows the next code")
    expires_at: dt.datetime | None = Field(description="when this code is no longer accepted")
    url: str | None = Field(
        description="the QR code's target: the sign-in page with the meeting and the code"
    )
    opens_at: dt.datetime
    closes_at: dt.datetime
    expected: int
    present: int
    guests: int


class SignInIn(Schema):
    code: str = Field(max_length=16, description="the code shown at the meeting")
    method: Literal["code", "qr"] = Field("code", description="typed (code) or scanned (qr)")


class SignInOut(Schema):
    meeting: int
    member: int
    expected: bool = Field(description="false: a guest (列席), not on the meeting's roster")
    status: str
    method: str
    signed_at: dt.datetime


@router.get("/{meeting_id}/sign-in-code", response={200: SignInCodeOut, **ERRORS})
def sign_in_code(request: HttpRequest, meeting_id: int):
    """The code to show at the meeting now, with its QR code's target (the convener, the recorder and the
    org's officers). No code while the window is not open, nor for a cancelled meeting or final minutes."""
    who = caller(request)
    meeting = selectors.meeting_for_screen(scope=who.scope, meeting_id=meeting_id)
    screen = services.sign_in_screen(scope=who.scope, actor=who.user, meeting=meeting)
    return {
        "meeting": meeting.pk,
        "topic": meeting.topic,
        "state": screen.state,
        "code": screen.code,
        "step_seconds": screen.step_seconds,
        "refresh_at": screen.refresh_at,
        "expires_at": screen.expires_at,
        "url": request.build_absolute_uri(screen.url) if screen.url else None,
        "opens_at": screen.opens_at,
        "closes_at": screen.closes_at,
        "expected": meeting.expected_count,
        "present": meeting.present_count,
        "guests": meeting.guest_count,
    }


@router.post("/{meeting_id}/sign-in", response={200: SignInOut, **ERRORS})
def sign_in(request: HttpRequest, meeting_id: int, payload: SignInIn):
    """The caller signs themselves in at the meeting by its code (their account's member record; a member not
    on the roster is added as a guest). 422 MTG-SIGN-IN outside the window, for a wrong or expired code (after
    5 wrong codes in one step, or 20 at the meeting, every try is refused), when already signed in or the
    meeting is cancelled; MTG-MINUTES-FINAL once the minutes are final."""
    who = caller(request)
    meeting = selectors.meeting_for_sign_in(scope=who.scope, meeting_id=meeting_id)
    row = services.sign_in(
        scope=who.scope, actor=who.user, meeting=meeting, code=payload.code, method=payload.method
    )
    return {
        "meeting": meeting.pk,
        "member": row.member_id,
        "expected": row.expected,
        "status": row.status,
        "method": row.method,
        "signed_at": row.signed_at,
    }
