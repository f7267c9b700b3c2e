"""What organizational life contributes to the to-do (core.todo): members at the lapse level (MEM-LAPSE-6M)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope, unscoped
from grassroots.core.todo import Found, TodoItem
from grassroots.orgs.models import Org

from . import lapse as lapse_selectors
from . import selectors
from .rules import _tmp_lapse as rules

CATEGORY = "meetings_lapse"


def lapse_url(org) -> str | None:
    return reverse("meetings:lapse", args=[org.code]) if org is not None else None


def _roots(scope: Scope, org) -> list[Org]:
    if org is not None:
        return [org] if permissions.allows(scope, selectors.MEETING_VIEW, org.path) else []
    paths = [p for p in scope.roots if permissions.allows(scope, selectors.MEETING_VIEW, p)]
    if not paths:
        return []
    with unscoped():
        return list(Org.objects.unscoped_all().filter(path__in=paths).order_by("path"))


def lapse_items(*, scope: Scope, org=None, today: dt.date, limit: int | None = None) -> Found:
    """Members at the lapse level in `org`'s subtree (or the caller's scope): each is overdue for the branch
    to handle (MEM-LAPSE-6M), linking to the lapse watch of the member's org."""
    items: list[TodoItem] = []
    for root in _roots(scope, org):
        watch = lapse_selectors.lapse_watch(scope=scope, org=root, today=today, level=rules.LAPSE)
        for row in watch._rows:
            items.append(
                TodoItem(
                    category=CATEGORY,
                    rule_id="MEM-LAPSE-6M",
                    title=_("连续 %(n)s 个月未参加组织生活") % {"n": row.streak},
                    subject=row.person.name,
                    org=root,
                    due_by=None,
                    overdue=True,
                    url=reverse("meetings:lapse", args=[row.person.org_code]) + "?level=lapse",
                )
            )
    return Found.of(items, limit)
