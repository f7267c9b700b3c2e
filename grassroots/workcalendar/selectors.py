"""Reads of the working-day calendar: the stored calendar every working-day computation uses (`calendar()`,
with a per-year cache), who may edit it, and the years and days the calendar pages show.

The calendar belongs to no org: it is the one national schedule. It is read by every computation and shown to
and edited by its administrators only: those who hold the org admin role on a top-level org (the highest org
of the installation, e.g. the county's organization department), and the operator (`Scope.system`). For
anyone else its pages and operations answer as if missing (NotFound).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from grassroots.audit.selectors import history_for_unowned
from grassroots.core.errors import NotFound
from grassroots.core.roles import Role
from grassroots.core.scoping import Scope
from grassroots.core.workdays import SpecialDay, TableCalendar, YearDays
from grassroots.orgs.models import Org

from .choices import DayKind
from .models import CalendarDay, CalendarYear

# ------------------------------------------------------------------------------------------ the calendar


def _load_year(year: int) -> YearDays | None:
    """One year of the stored calendar (the days in force), in one query; None for a year without a row."""
    rows = list(
        CalendarYear.objects.filter(year=year).values_list(
            "complete", "days__on", "days__kind", "days__name", "days__removed_at"
        )
    )
    if not rows:
        return None
    days = [
        SpecialDay(on, kind, name) for _, on, kind, name, removed in rows if on is not None and not removed
    ]
    return YearDays.of(year, days, complete=rows[0][0])


# The calendar of this process. Each year is read once and kept until `forget()`: at the start of every
# request (apps.py connects it to `request_started`) and after every change of the calendar, so a request
# computes with the calendar as it was when the request began, and never with one older than that.
STORED = TableCalendar(_load_year)


def calendar() -> TableCalendar:
    """The stored working-day calendar (core.workdays.WorkdayCalendar) that every computation passes to the
    rules."""
    return STORED


def forget(**kwargs) -> None:
    """Drop the cached years (a signal receiver, hence **kwargs)."""
    STORED.forget()


# ------------------------------------------------------------------------------------------ who edits it


def may_edit(scope: Scope) -> bool:
    """Whether the caller administers the calendar: the operator, or an org admin of a top-level org. Decided
    from the scope's grants alone, without a query."""
    return scope.is_system or any(
        g.role == Role.ORG_ADMIN and len(g.path) == Org.steplen for g in scope.grants
    )


def require_editor(scope: Scope) -> None:
    """NotFound unless the caller administers the calendar (to others it is not there)."""
    if not may_edit(scope):
        raise NotFound


# ------------------------------------------------------------------------------------------ pages and API


@dataclass(frozen=True)
class YearRow:
    """A year as the calendar's list shows it; `row` None for a year with nothing entered yet."""

    year: int
    row: CalendarYear | None
    holidays: int
    workdays: int

    @property
    def complete(self) -> bool:
        return self.row is not None and self.row.complete


def year_list(*, scope: Scope, today: dt.date) -> list[YearRow]:
    """Every year of the calendar, newest first, with next year listed even when nothing is entered yet."""
    require_editor(scope)
    counts: dict[int, dict[str, int]] = {}
    for year, kind in CalendarDay.objects.filter(removed_at__isnull=True).values_list("year__year", "kind"):
        counts.setdefault(year, {}).setdefault(kind, 0)
        counts[year][kind] += 1
    rows = {r.year: r for r in CalendarYear.objects.select_related("confirmed_by")}
    years = set(rows) | {today.year + 1}
    return [
        YearRow(
            year=y,
            row=rows.get(y),
            holidays=counts.get(y, {}).get(DayKind.HOLIDAY, 0),
            workdays=counts.get(y, {}).get(DayKind.WORKDAY, 0),
        )
        for y in sorted(years, reverse=True)
    ]


def year_get(*, scope: Scope, year: int) -> CalendarYear | None:
    """The row of `year` (None when nothing is entered for it yet)."""
    require_editor(scope)
    return CalendarYear.objects.select_related("confirmed_by").filter(year=year).first()


def days_of(*, scope: Scope, year: int, removed: bool = False) -> list[CalendarDay]:
    """The days of `year` in force (or, with `removed`, those taken out), in date order."""
    require_editor(scope)
    return list(
        CalendarDay.objects.filter(year__year=year, removed_at__isnull=not removed).select_related(
            "entered_by", "removed_by"
        )
    )


def day_get(*, scope: Scope, day_id: int) -> CalendarDay:
    require_editor(scope)
    day = CalendarDay.objects.select_related("year").filter(pk=day_id).first()
    if day is None:
        raise NotFound
    return day


def year_complete(*, year: int) -> bool:
    """Whether `year` is complete in the stored calendar (through its cache)."""
    return STORED.year(year).complete


def history(*, scope: Scope, year: int, limit: int = 200):
    """The audit events about `year` and its days, newest first."""
    require_editor(scope)
    return history_for_unowned(
        records={
            "workcalendar.calendaryear": CalendarYear.objects.filter(year=year).values("pk"),
            "workcalendar.calendarday": CalendarDay.objects.filter(year__year=year).values("pk"),
        },
        limit=limit,
    )
