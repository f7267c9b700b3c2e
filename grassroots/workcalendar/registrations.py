"""What the calendar registers with core (run once, from WorkcalendarConfig.ready()):

- core.todo: CAL-YEAR-MISSING on its administrators' home page (todo.py);
- core.menu: the 工作日历 entry, for its administrators.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from grassroots.core import menu, todo

from . import selectors
from . import todo as calendar_todo


def register() -> None:
    todo.register(
        calendar_todo.due_items,
        category=calendar_todo.CATEGORY,
        label=_("工作日历"),
        list_url=calendar_todo.calendar_url,
    )
    menu.register(
        "calendar", label=_("工作日历"), url="workcalendar:calendar", order=90, visible=selectors.may_edit
    )
