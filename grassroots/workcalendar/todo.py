"""What the calendar contributes to the to-do (core.todo): CAL-YEAR-MISSING on the home page of its
administrators — from 1 November while next year's holiday schedule is not complete, and at once when this
year's is not. Registered in registrations.py."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.scoping import Scope
from grassroots.core.todo import Found, TodoItem

from . import rules, selectors

CATEGORY = "calendar"


def calendar_url(org=None) -> str:
    return reverse("workcalendar:calendar")


def due_items(*, scope: Scope, org=None, today: dt.date, limit: int | None = None) -> Found:
    """The one item CAL-YEAR-MISSING, for the calendar's administrators on their home page (the whole scope,
    `org` None); nothing for anyone else, nor on an org's page. Reads the years through the calendar's cache:
    one query for this year (shared with the request's working-day computations), one more for next year from
    1 November."""
    if org is not None or not selectors.may_edit(scope):
        return Found.none()
    missing = rules.missing_year(
        today=today,
        this_year_complete=selectors.year_complete(year=today.year),
        next_year_complete=(
            (today.month, today.day) < rules.MISSING_FROM or selectors.year_complete(year=today.year + 1)
        ),
    )
    if missing is None:
        return Found.none()
    item = TodoItem(
        category=CATEGORY,
        rule_id="CAL-YEAR-MISSING",
        title=_("录入 %(year)s 年节假日安排并确认完整") % {"year": missing.year},
        subject=_("工作日历"),
        org=None,
        due_by=missing.due_by,
        overdue=missing.overdue,
        url=reverse("workcalendar:calendar") + f"?year={missing.year}",
    )
    return Found.of([item], limit)
