"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready()).

- core.derived: the cadence counts and their subtree rollup, the stored lapse state (meetings/derived.py).
- core.todo: overdue cadence (三会一课, meetings/todo.py), members at the lapse level (MEM-LAPSE-6M,
  meetings/lapse_todo.py), 我的会议 for a member (meetings/mine.py).
- core.menu: 组织生活 (the meeting list of the caller's org).
- core.summaries and orgs.registry: the org page's 三会一课 card and tab, the 组织生活 tab (the meeting list); the member card buttons 组织生活预警
  (the lapse watch) and 谈心谈话.
- audit.verify: the meeting seals, checked by `grassroots audit_verify [--org CODE]`.
- members.registry: the member page's badge 连续N个月未参加组织生活 (warn and lapse levels).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.audit.verify import register_verifier
from grassroots.core import derived, menu, permissions, summaries, todo
from grassroots.members import registry as member_registry
from grassroots.orgs import registry
from grassroots.orgs.choices import OrgKind

from . import derived as meetings_derived
from . import lapse_todo, mine, selectors
from . import todo as meetings_todo


def _reads_meetings(scope, org) -> bool:
    return org.kind != OrgKind.GROUP and permissions.allows(scope, selectors.MEETING_VIEW, org.path)


def _verify_seals(org_code: str | None):
    """The audit verifier of the meeting seals: `grassroots audit_verify [--org CODE]` (LookupError: no such
    org)."""
    from grassroots.core.scoping import unscoped
    from grassroots.orgs.models import Org

    from .services import seals

    org = None
    if org_code:
        with unscoped():
            org = Org.objects.unscoped_all().filter(code=org_code).first()
        if org is None:
            raise LookupError(org_code)
    return seals.seals_verify(org)


def register() -> None:
    derived.register(meetings_derived.TABLE)
    # 组织生活: the meeting list of the caller's org (meetings:index redirects), for those who read meetings; a
    # member finds their own meetings under 我的会议.
    menu.register(
        "meetings",
        label=_("组织生活"),
        url="meetings:index",
        order=45,
        visible=menu.holding(selectors.MEETING_VIEW),
    )
    registry.register_org_link(
        registry.OrgLink(
            key="meetings",
            label=_("组织生活"),
            url=lambda org: reverse("meetings:list", args=[org.code]),
            visible=lambda scope, org: permissions.allows(scope, selectors.MEETING_VIEW, org.path),
            order=25,
        ),
        place=registry.TAB,
    )
    derived.register(meetings_derived.LAPSE)
    todo.register(
        meetings_todo.due_items,
        category=meetings_todo.CATEGORY,
        label=_("三会一课"),
        list_url=meetings_todo.todo_url,
    )
    summaries.register(meetings_todo.org_summary, category=meetings_todo.CATEGORY)
    registry.register_org_link(
        registry.OrgLink(
            key="cadence",
            label=_("三会一课"),
            url=meetings_todo.cadence_url,
            visible=lambda scope, org: permissions.allows(scope, selectors.MEETING_VIEW, org.path),
            order=30,
        ),
        place=registry.TAB,
    )
    todo.register(
        lapse_todo.lapse_items,
        category=lapse_todo.CATEGORY,
        label=_("未参加组织生活"),
        list_url=lapse_todo.lapse_url,
    )
    member_registry.register_member_badge("meetings-lapse", lapse_todo.member_badge)
    registry.register_org_link(
        registry.OrgLink(
            key="meetings-lapse",
            label=_("组织生活预警"),
            url=lambda org: reverse("meetings:lapse", args=[org.code]),
            visible=_reads_meetings,
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
            visible=_reads_meetings,
            order=41,
            icon="chat-dots",
        ),
        place=registry.ACTION,
    )
    # 我的会议 on the member's home page: their planned meetings of the next 30 days (meetings/mine.py).
    todo.register(mine.due_items, category=mine.CATEGORY, label=_("我的会议"), list_url=mine.mine_url)
    register_verifier("meeting-seals", _verify_seals)
