"""What organizational life contributes to the to-do (core.todo): members at the lapse level (MEM-LAPSE-6M)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope, unscoped
from grassroots.core.todo import Found, TodoItem
from grassroots.members.choices import ACTIVE_STATUSES

from . import lapse_store, rules, selectors
from .models import MemberLapseState

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
    to handle (MEM-LAPSE-6M), linking to the lapse watch of the member's org; the first `limit` by name and the
    count of all. Reads the stored lapse state (`lapse_store`, as of its last sync): one query whatever the
    subtrees hold."""
    items: list[TodoItem] = []
    titles: dict[int, str] = {}  # by streak
    orgs: dict[str, tuple[OrgRef, str]] = {}  # by org code: the org and its lapse watch's URL
    rows, total = lapse_store.subtree_rows(
        [root.path for root in _roots(scope, org)], level=rules.LEVEL_LAPSE, limit=limit
    )
    for _member_id, name, _name_sort, code, org_name, path, streak, _level in rows:
        if streak not in titles:
            titles[streak] = _("连续 %(n)s 个月未参加组织生活") % {"n": streak}
        if code not in orgs:
            orgs[code] = (
                OrgRef(code, org_name, path),
                reverse("meetings:lapse", args=[code]) + "?level=lapse",
            )
        ref, url = orgs[code]
        items.append(
            TodoItem(
                category=CATEGORY,
                rule_id="MEM-LAPSE-6M",
                title=titles[streak],
                subject=name,
                org=ref,
                due_by=None,
                overdue=True,
                url=url,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return Found(items=items, total=total, overdue=total)  # every member at the lapse level is overdue


def member_badge(*, scope: Scope, member, today: dt.date):
    """The member page's badge: 连续N个月未参加组织生活 at the warn or lapse level (the stored lapse state: one
    query), linking to the lapse watch of the member's org; nothing for a reader who may not read the org's
    meetings, nor for a member no longer active."""
    from grassroots.members.registry import MemberBadge

    org = member.org
    if member.status not in ACTIVE_STATUSES or not permissions.allows(
        scope, selectors.MEETING_VIEW, org.path
    ):
        return None
    with unscoped():
        row = (
            MemberLapseState.objects.unscoped_all()
            .filter(member_id=member.pk)
            .values_list("streak", "level")
            .first()
        )
    if row is None:
        return None
    streak, level = row
    return MemberBadge(
        label=_("连续 %(n)s 个月未参加组织生活") % {"n": streak},
        url=reverse("meetings:lapse", args=[org.code]),
        style="danger" if level == rules.LEVEL_LAPSE else "warning",
        rule_id="MEM-LAPSE-6M",
    )
