"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import derived, permissions, summaries, todo

from . import mine


def register() -> None:
    """Menu, to-do, org tabs, citations, derived tables and the audit verifier are added here."""
    from grassroots.orgs import registry

    from . import derived as meetings_derived
    from . import todo as meetings_todo
    from .selectors import MEETING_VIEW

    derived.register(meetings_derived.TABLE)
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
            visible=lambda scope, org: permissions.allows(scope, MEETING_VIEW, org.path),
            order=30,
        ),
        place=registry.TAB,
    )
    # 我的会议 on the member's home page: their planned meetings of the next 30 days (meetings/mine.py).
    todo.register(mine.due_items, category=mine.CATEGORY, label=_("我的会议"), list_url=mine.mine_url)
