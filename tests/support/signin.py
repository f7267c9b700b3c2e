"""Signing in at a meeting in tests: local times, the code a screen shows at a moment, a member's own account."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.meetings import rules
from grassroots.meetings.models import Meeting
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_user
from tests.support.personas import PASSWORD


def local(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """An aware datetime in the installation's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, second)))


def code_at(meeting: Meeting, at: dt.datetime, step_seconds: int = rules.SIGN_IN_STEP_SECONDS) -> str:
    """The code the meeting's screen shows at `at`."""
    return rules.sign_in_code(bytes.fromhex(meeting.sign_in_secret), at, step_seconds)


def wrong_code(meeting: Meeting, at: dt.datetime) -> str:
    """A well-formed code that is neither the current one nor the one before."""
    taken = {code_at(meeting, at), code_at(meeting, at - dt.timedelta(seconds=rules.SIGN_IN_STEP_SECONDS))}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in taken)


def account_for(member, username: str, *, role: str = "member"):
    """A user with a grant of `role` on the member's org, linked to the member record."""
    user = make_user(username, member.org, role, password=PASSWORD)
    member_services.member_link_user(scope=SYSTEM, actor=None, member=member, user=user)
    return user


def set_clock(monkeypatch, at: dt.datetime) -> dt.datetime:
    """From now on in this test, `timezone.now()` answers `at` (and `localdate()` its local day)."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: at)
    return at
