"""What the cadence contributes to the to-do (core.todo) and to the org page (core.summaries): the orgs behind
on a cadence rule this year (from the stored rollup: each org's own periods that ended short), most periods
behind first, counted in SQL."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope, subtree_q
from grassroots.core.summaries import Figure, OrgSummary
from grassroots.core.todo import Found, TodoItem

from . import cadence
from .models import SubtreeCadence
from .selectors import MEETING_VIEW

CATEGORY = "cadence"


def cadence_url(org, year: int | None = None) -> str:
    url = reverse("meetings:cadence", args=[org.code])
    return url + (f"?year={year}" if year else "")


def todo_url(org=None) -> str | None:
    return cadence_url(org) if org is not None else None


def _behind(scope: Scope, org, year: int):
    """The stored rows of orgs behind on a rule in `year`, within `org`'s subtree or the caller's scope."""
    view = scope.with_roles(MEETING_VIEW)
    qs = SubtreeCadence.objects.within(scope).filter(year=year, own_periods_behind__gt=0)
    if org is not None:
        if not permissions.allows(scope, MEETING_VIEW, org.path):
            return None
        return qs.filter(subtree_q("org__path", org.path))
    if view.is_system:
        return qs
    if not view.roots:
        return None
    where = Q()
    for root in view.roots:
        where |= subtree_q("org__path", root)
    return qs.filter(where)


def due_items(*, scope: Scope, org=None, today: dt.date, limit: int | None = None) -> Found:
    """Orgs behind on a cadence rule this year (MTG-*): the `limit` with most periods behind (one query) and
    the count of all (one COUNT); nothing where the caller may not read meetings."""
    qs = _behind(scope, org, today.year)
    if qs is None:
        return Found.none()
    total = qs.count()
    if not total:
        return Found.none()
    rows = qs.order_by("-own_periods_behind", "org__path", "rule_id").values_list(
        "rule_id", "own_periods_behind", "org__code", "org__name"
    )
    if limit is not None:
        rows = rows[:limit]
    items = [
        TodoItem(
            category=CATEGORY,
            rule_id=rule_id,
            title=_("%(rule)s 有 %(n)s 个周期未按要求召开")
            % {"rule": cadence.RULE_LABELS.get(rule_id, rule_id), "n": n},
            subject=name,
            org=None,
            due_by=None,
            overdue=True,
            url=reverse("meetings:cadence", args=[code]) + f"?year={today.year}",
        )
        for rule_id, n, code, name in rows
    ]
    return Found(items=items, total=total, overdue=total)


def org_summary(*, scope: Scope, org) -> OrgSummary | None:
    """The subtree's orgs behind per rule this year (the org's own stored rollup rows), each linking to the
    cadence page."""
    if not permissions.allows(scope, MEETING_VIEW, org.path):
        return None
    from django.utils import timezone

    year = timezone.localdate().year
    totals = cadence.subtree_totals(org, year)
    url = cadence_url(org, year)
    return OrgSummary(
        category=CATEGORY,
        title=_("三会一课（%(year)s年）") % {"year": year},
        url=url,
        figures=[
            Figure(
                _("%(rule)s 未达标组织") % {"rule": cadence.RULE_LABELS.get(rule, rule)}, totals[rule][1], url
            )
            for rule in cadence.RULE_IDS
            if rule in totals
        ],
    )
