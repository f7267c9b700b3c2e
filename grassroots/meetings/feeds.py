"""The iCalendar feeds' reads: the token's keyed hash, the feed a token opens, the caller's feeds, and the
calendar itself (the `icalendar` library).

The feed URL (`/meetings/ical/<token>.ics`) is public by design: calendar programs fetch it without a session,
so the token is the credential (like a bearer token, only its keyed hash is stored). It is the one deliberate
read of meetings outside a caller's scope: what a feed lists was chosen when it was made (by the member for
their own meetings, by a secretary for the org's), and it carries only what a meeting notice carries — kind,
topic, date and time, place — and no person's name or any other personal data. A revoked or unknown token
answers 404.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from icalendar import Calendar, Event

from grassroots.core import crypto, permissions
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.selectors import own_member

from .choices import MeetingStatus
from .models import CalendarFeed, Meeting
from .registers import register_orgs_q
from .selectors import MEETING_EDIT

# Meetings a feed lists: from a year back to a year ahead, at most this many (newest first).
FEED_DAYS_BACK = 366
FEED_DAYS_AHEAD = 366
FEED_LIMIT = 500
PRODID = "-//Grassroots//meetings//ZH"


def token_hash(token: str) -> str:
    """The keyed hash a feed's token is stored as (its own domain, so it never equals an ID number's hash)."""
    return crypto.keyed_hash("calendar-feed:" + token)


def feed_by_token(token: str) -> CalendarFeed:
    """The live feed of `token`; NotFound when unknown or revoked. Public: the token is the credential."""
    with unscoped():
        feed = (
            CalendarFeed.objects.unscoped_all()
            .filter(token_hash=token_hash(token), revoked_at__isnull=True)
            .select_related("org", "member")
            .first()
        )
    if feed is None:
        raise NotFound
    return feed


def ensure_manages(scope: Scope, feed: CalendarFeed) -> None:
    """A member's feed is managed by that member only; an org's by its MEETING_EDIT roles (NotFound outside
    the scope, PermissionDenied inside it without the role)."""
    if feed.member_id is not None:
        own = own_member(scope=scope)
        if own is None or own.pk != feed.member_id:
            raise NotFound
        return
    permissions.require(scope, MEETING_EDIT, feed.org.path)


def feed_get(*, scope: Scope, feed_id: int) -> CalendarFeed:
    """A feed the caller manages (their own, or their org's), fetched and authorized in one call."""
    with unscoped():
        feed = CalendarFeed.objects.unscoped_all().filter(pk=feed_id).select_related("org", "member").first()
    if feed is None:
        raise NotFound
    ensure_manages(scope, feed)
    return feed


def feeds_of(*, scope: Scope, user) -> list[CalendarFeed]:
    """The caller's live feeds: those of their own meetings and the org feeds they made."""
    own = own_member(scope=scope)
    mine = Q(member__isnull=True, created_by=user)
    if own is not None:
        mine |= Q(member=own)
    with unscoped():
        return list(
            CalendarFeed.objects.unscoped_all()
            .filter(mine, revoked_at__isnull=True)
            .select_related("org", "member")
            .order_by("-created_at", "-id")
        )


def feed_meetings(feed: CalendarFeed, today: dt.date) -> list[Meeting]:
    """The meetings `feed` lists: the member's (those they are on the roster of) or the org's and its party
    groups', planned, held or cancelled (cancelled ones go out as STATUS:CANCELLED)."""
    since, until = today - dt.timedelta(days=FEED_DAYS_BACK), today + dt.timedelta(days=FEED_DAYS_AHEAD)
    with unscoped():
        qs = Meeting.objects.unscoped_all().filter(planned_on__gte=since, planned_on__lte=until)
        if feed.member_id is not None:
            qs = qs.filter(attendance__member_id=feed.member_id)
        else:
            qs = qs.filter(register_orgs_q(feed.org))
        return list(
            qs.select_related("org")
            .only(
                "id",
                "kind",
                "topic",
                "place",
                "planned_on",
                "held_on",
                "starts_at",
                "ends_at",
                "status",
                "updated_at",
                "org__name",
            )
            .order_by("-planned_on", "-id")[:FEED_LIMIT]
        )


def _event(meeting: Meeting, zone: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@grassroots")
    day = meeting.held_on or meeting.planned_on
    if meeting.starts_at is not None:
        start = dt.datetime.combine(day, meeting.starts_at, tzinfo=zone)
        end = (
            dt.datetime.combine(day, meeting.ends_at, tzinfo=zone)
            if meeting.ends_at is not None and meeting.ends_at > meeting.starts_at
            else start + dt.timedelta(hours=1)
        )
        event.add("dtstart", start)
        event.add("dtend", end)
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("dtstamp", meeting.updated_at)
    event.add("summary", f"{meeting.get_kind_display()}：{meeting.topic}")
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", meeting.org.name)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def calendar_bytes(feed: CalendarFeed, name: str, today: dt.date) -> bytes:
    """The feed as an iCalendar document (times in the installation's zone, Asia/Shanghai)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in feed_meetings(feed, today):
        cal.add_component(_event(meeting, zone))
    cal.add_missing_timezones()
    return cal.to_ical()
