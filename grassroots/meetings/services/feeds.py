"""The iCalendar feeds (日历订阅): `feed_create` and `feed_revoke`.

A feed is reached by a secret token in its URL, shown once when it is made; only the token's keyed hash is
stored (`feeds.token_hash`). A member makes a feed of their own meetings; the secretaries and officers of an
org (MEETING_EDIT) make the org's. Revoked, never deleted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.members.selectors import own_member
from grassroots.orgs.models import Org

from .. import feeds, selectors
from ..models import CalendarFeed

SCOPES = ("org", "member")


@dataclass(frozen=True)
class NewFeed:
    """A feed just made and its token: the only moment the token is known."""

    feed: CalendarFeed
    token: str


@transaction.atomic
def feed_create(*, scope: Scope, actor, org: Org | None = None, member: Member | None = None) -> NewFeed:
    """A new feed: of `member`'s meetings (only the caller's own record) or of `org`'s (MEETING_EDIT there)."""
    if (org is None) == (member is None):
        raise RuleViolation("MTG-FEED", _("请选择订阅本人的会议或本组织的会议（MTG-FEED）"), field="scope")
    if member is not None:
        own = own_member(scope=scope)
        if own is None or own.pk != member.pk:
            raise NotFound
        org = member.org
    else:
        permissions.require(scope, selectors.MEETING_EDIT, org.path)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(org=org, member=member, token_hash=feeds.token_hash(token), created_by=actor)
    with unscoped():
        feed.save()
    record(
        actor=actor,
        action="meeting_feed.create",
        target=feed,
        org_id=org.pk,
        label=_("日历订阅"),
        changes={"member": member.pk if member else None},
    )
    return NewFeed(feed=feed, token=token)


@transaction.atomic
def feed_revoke(*, scope: Scope, actor, feed: CalendarFeed) -> CalendarFeed:
    """Stop a feed: its URL answers 404 from now on. The member's own feed, or an org's by MEETING_EDIT."""
    feeds.ensure_manages(scope, feed)
    if feed.revoked_at is not None:
        return feed
    feed.revoked_at = timezone.now()
    with unscoped():
        feed.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="meeting_feed.revoke",
        target=feed,
        org_id=feed.org_id,
        label=_("日历订阅"),
        changes={"revoked_at": [None, feed.revoked_at.isoformat()]},
    )
    return feed
