"""Heart-to-heart talks (谈心谈话, MTG-TALK-Y): `talk_record`. Append-only: a mistake is corrected by a new
talk record whose summary says so, never by an edit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import hygiene, permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Member
from grassroots.orgs.models import CommitteeMember, Org

from .. import selectors
from ..models import Talk
from . import cadence


def holds_post(org: Org, member: Member, on: dt.date) -> bool:
    """Whether `member` holds a post on the committee of `org` in office on `on`."""
    committee = selectors.committee_on(org, on)
    if committee is None:
        return False
    with unscoped():
        return (
            CommitteeMember.objects.unscoped_all()
            .filter(committee=committee, member=member, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .exists()
        )


@transaction.atomic
def talk_record(
    *,
    scope: Scope,
    actor,
    org: Org,
    held_on: dt.date,
    initiator: Member | None,
    counterpart: Member | None,
    topic: str,
    summary: str = "",
) -> Talk:
    """Record a talk held by `initiator`, who holds a post on `org`'s committee that day, with `counterpart`,
    a member of `org`'s subtree (a committee member or not). Secretaries and officers of the org."""
    permissions.require(scope, selectors.MEETING_EDIT, org.path)
    if not isinstance(held_on, dt.date):
        raise RuleViolation("MTG-TALK-Y", _("请填写谈话日期（MTG-TALK-Y）"), field="held_on")
    hygiene.check_date(held_on, field="held_on")
    if held_on > timezone.localdate():
        raise RuleViolation("MTG-TALK-Y", _("谈话日期不能晚于今天（MTG-TALK-Y）"), field="held_on")
    topic = (topic or "").strip()
    summary = (summary or "").strip()
    if not topic:
        raise RuleViolation("MTG-TALK-Y", _("请填写谈话主题（MTG-TALK-Y）"), field="topic")
    hygiene.check_text(topic, field="topic")
    hygiene.check_text(summary, field="summary")
    if initiator is None or not holds_post(org, initiator, held_on):
        raise RuleViolation(
            "MTG-TALK-Y",
            _("谈话人在谈话日期须为本组织委员会成员（MTG-TALK-Y）"),
            field="initiator",
        )
    with unscoped():
        member_path = (
            Org.objects.unscoped_all().filter(pk=counterpart.org_id).values_list("path", flat=True).first()
        )
    if (
        counterpart.pk == initiator.pk
        or counterpart.status not in ACTIVE_STATUSES
        or not (member_path or "").startswith(org.path)
    ):
        raise RuleViolation(
            "MTG-TALK-Y",
            _("谈话对象须为本组织的其他党员（MTG-TALK-Y）"),
            field="counterpart",
        )
    talk = Talk(
        org=org,
        held_on=held_on,
        initiator=initiator,
        counterpart=counterpart,
        topic=topic[:200],
        summary=summary,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    with unscoped():
        talk.save(force_insert=True)
    record(
        actor=actor,
        action="meetings.talk",
        target=talk,
        org_id=org.pk,
        label=f"{org.name} {held_on.isoformat()} {topic[:40]}",
        changes={
            "held_on": [None, held_on.isoformat()],
            "initiator": [None, initiator.pk],
            "counterpart": [None, counterpart.pk],
            "topic": [None, talk.topic],
        },
    )
    counted = getattr(cadence, "talk_counted", None)
    if counted is not None:
        counted(talk)
    return talk
