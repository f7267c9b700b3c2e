"""What recruitment contributes to the to-do (core.todo) and to the org page (core.summaries): the steps
with a deadline that are overdue or due soon, and the open dossiers per stage. Registered in apps.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.scoping import Scope
from grassroots.core.summaries import Figure, OrgSummary
from grassroots.core.todo import Found, TodoItem
from grassroots.orgs.choices import OrgKind

from . import selectors
from .choices import Stage

CATEGORY = "recruitment"


def board_url(org=None, **params: str) -> str:
    query = ({"org": org.code} if org is not None else {}) | params
    return reverse("recruitment:board") + ("?" + urlencode(query) if query else "")


def due_items(*, scope: Scope, org=None, today: dt.date, limit: int | None = None) -> Found:
    """Steps with a deadline (REC-TALK-1M, REC-ASSESS-6M, REC-APPROVAL-3M, REC-PROBATION-1Y) overdue or due
    within 30 days, in `org`'s subtree or the whole scope: the `limit` most urgent and the counts, from the
    stored next steps (`selectors.due_steps`); nothing where the caller may not read dossiers."""
    if org is not None and not permissions.allows(scope, permissions.MEMBER_VIEW, org.path):
        return Found.none()
    due = selectors.due_steps(scope=scope, today=today, org=org, limit=limit)
    items = [
        TodoItem(
            category=CATEGORY,
            rule_id=s["rule_id"],
            title=s["label"],
            subject=s["name"],
            org=s["org"],
            due_by=s["due_by"],
            overdue=s["overdue"],
            url=reverse("recruitment:detail", args=[s["applicant_id"]]),
        )
        for s in due.items
    ]
    return Found(items=items, total=due.total, overdue=due.overdue)


def org_summary(*, scope: Scope, org) -> OrgSummary | None:
    """Open dossiers of the subtree per stage, each linking to the board at that stage."""
    if org.kind == OrgKind.GROUP or not permissions.allows(scope, permissions.MEMBER_VIEW, org.path):
        return None
    counts = selectors.stage_counts(scope=scope, org=org)
    return OrgSummary(
        category=CATEGORY,
        title=_("发展党员"),
        url=board_url(org),
        figures=[
            Figure(str(Stage(stage).label), n, board_url(org, stage=stage)) for stage, n in counts.items()
        ],
    )
