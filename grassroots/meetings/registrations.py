"""What the meetings app registers with the lower layers (run once, from MeetingsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import todo

from . import mine


def register() -> None:
    """Menu, to-do, org tabs, citations, derived tables and the audit verifier are added here."""
    # 我的会议 on the member's home page: their planned meetings of the next 30 days (meetings/mine.py).
    todo.register(mine.due_items, category=mine.CATEGORY, label=_("我的会议"), list_url=mine.mine_url)
