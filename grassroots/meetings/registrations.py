"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready()).

- core.todo: members at the lapse level (MEM-LAPSE-6M, meetings/todo.py).
- orgs.registry: the org page's member card buttons 组织生活预警 (the lapse watch) and 谈心谈话.
- members.registry: the member page's badge 连续N个月未参加组织生活 (warn and lapse levels).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.core import permissions, todo
from grassroots.members import registry as member_registry
from grassroots.orgs import registry
from grassroots.orgs.choices import OrgKind

from . import selectors
from . import todo as meetings_todo


def register() -> None:
    """Menu, to-do, org tabs, citations, derived tables and the audit verifier are added here."""
    todo.register(
        meetings_todo.lapse_items,
        category=meetings_todo.CATEGORY,
        label=_("未参加组织生活"),
        list_url=meetings_todo.lapse_url,
    )
    member_registry.register_member_badge("meetings-lapse", meetings_todo.member_badge)
    registry.register_org_link(
        registry.OrgLink(
            key="meetings-lapse",
            label=_("组织生活预警"),
            url=lambda org: reverse("meetings:lapse", args=[org.code]),
            visible=lambda scope, org: (
                org.kind != OrgKind.GROUP and permissions.allows(scope, selectors.MEETING_VIEW, org.path)
            ),
            order=40,
            icon="exclamation-triangle",
        ),
        place=registry.ACTION,
    )
    registry.register_org_link(
        registry.OrgLink(
            key="meetings-talks",
            label=_("谈心谈话"),
            url=lambda org: reverse("meetings:talks", args=[org.code]),
            visible=lambda scope, org: (
                org.kind != OrgKind.GROUP and permissions.allows(scope, selectors.MEETING_VIEW, org.path)
            ),
            order=41,
            icon="chat-dots",
        ),
        place=registry.ACTION,
    )
