"""What organizational life contributes to the to-do (core.todo): members at the lapse level (MEM-LAPSE-6M)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope
from grassroots.core.todo import Found, TodoItem

from . import lapse as lapse_selectors
from . import rules, selectors

CATEGORY = "meetings_lapse"


def lapse_url(org) -> str | None:
    return reverse("meetings:lapse", args=[org.code]) if org is not None else None


@dataclass(frozen=True)
class OrgRef:
    """What a to-do item and the lapse watch need of an org (no query to fetch it)."""

    code: str
    name: str
    path: str


def _roots(scope: Scope, org) -> list:
    if org is not None:
        return [org] if permissions.allows(scope, selectors.MEETING_VIEW, org.path) else []
    return [OrgRef("", "", p) for p in scope.roots if permissions.allows(scope, selectors.MEETING_VIEW, p)]


def lapse_items(*, scope: Scope, org=None, today: dt.date, limit: int | None = None) -> Found:
    """Members at the lapse level in `org`'s subtree (or the caller's scope): each is overdue for the branch
    to handle (MEM-LAPSE-6M), linking to the lapse watch of the member's org."""
    items: list[TodoItem] = []
    for root in _roots(scope, org):
        watch = lapse_selectors.lapse_watch(scope=scope, org=root, today=today, level=rules.LEVEL_LAPSE)
        for row in watch._rows:
            items.append(
                TodoItem(
                    category=CATEGORY,
                    rule_id="MEM-LAPSE-6M",
                    title=_("连续 %(n)s 个月未参加组织生活") % {"n": row.streak},
                    subject=row.person.name,
                    org=OrgRef(row.person.org_code, row.person.org_name, row.person.org_path),
                    due_by=None,
                    overdue=True,
                    url=reverse("meetings:lapse", args=[row.person.org_code]) + "?level=lapse",
                )
            )
    return Found.of(items, limit)


def member_badge(*, scope: Scope, member, today: dt.date):
    """The member page's badge: 连续N个月未参加组织生活 at the warn or lapse level, linking to the lapse watch of
    the member's org; nothing for a reader who may not read the org's meetings."""
    from grassroots.members.registry import MemberBadge

    org = member.org
    if not permissions.allows(scope, selectors.MEETING_VIEW, org.path):
        return None
    rows = lapse_selectors.lapse_watch(
        scope=scope, org=org, today=today, level=rules.LEVEL_WARN, member_id=member.pk
    )
    if not len(rows):
        return None
    row = rows._rows[0]
    return MemberBadge(
        label=_("连续 %(n)s 个月未参加组织生活") % {"n": row.streak},
        url=reverse("meetings:lapse", args=[org.code]),
        style="danger" if row.level == rules.LEVEL_LAPSE else "warning",
        rule_id="MEM-LAPSE-6M",
    )
