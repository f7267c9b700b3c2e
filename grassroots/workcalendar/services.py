"""Writes of the working-day calendar: the seed from the package (after `migrate`), and what its
administrators do — enter a day, take one out, enter a published schedule at once, confirm a year complete.

Each administrator's write runs in one transaction with its audit event (org None: the calendar belongs to no
org), forgets the cached years and refreshes what the apps above store from working days (`registry`), so
stored next steps agree with the calendar once the change is committed. A refused write changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import record
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope
from grassroots.core.workdays import SpecialDay, package_year, package_years

from . import registry, rules, selectors
from .choices import DayKind, Source
from .models import CalendarDay, CalendarYear


def calendar_seed(*, years: range | None = None) -> list[int]:
    """Give every year the package knows (or `years`) that the table has no row for its published days, as
    complete years from the package. Operator-level installation data, run after every `migrate` (apps.py):
    idempotent, never touching a year already there (an administrator's entries win). Not audited: the rows
    carry their source."""
    wanted = years if years is not None else package_years()
    present = set(CalendarYear.objects.filter(year__in=list(wanted)).values_list("year", flat=True))
    seeded = []
    with transaction.atomic():
        for year in wanted:
            days = package_year(year)
            if year in present or not days:
                continue
            row = CalendarYear.objects.create(year=year, source=Source.PACKAGE, complete=True)
            CalendarDay.objects.bulk_create(
                CalendarDay(year=row, on=d.on, kind=d.kind, name=d.name, source=Source.PACKAGE) for d in days
            )
            seeded.append(year)
    if seeded:
        selectors.forget()
    return seeded


def _changed(years: set[int]) -> list[str]:
    """After a change of the calendar in `years` (inside its transaction): forget the cached years, then let
    the apps above refresh what they store."""
    selectors.forget()
    return registry.refresh_all(years=frozenset(years), today=timezone.localdate())


def _year_row(year: int) -> CalendarYear:
    row, _ = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": Source.ADMIN, "complete": False}
    )
    return row


def _taken(on: dt.date) -> bool:
    return CalendarDay.objects.filter(on=on, removed_at__isnull=True).exists()


def _add(row: CalendarYear, actor, day: SpecialDay, now) -> CalendarDay:
    return CalendarDay.objects.create(
        year=row,
        on=day.on,
        kind=day.kind,
        name=day.name.strip(),
        source=Source.ADMIN,
        entered_at=now,
        entered_by=actor if getattr(actor, "pk", None) else None,
    )


def calendar_day_add(*, scope: Scope, actor, on: dt.date, kind: str, name: str) -> CalendarDay:
    """Enter one holiday or swapped working day (CAL-DAY-*) into the calendar of its year."""
    selectors.require_editor(scope)
    if kind not in DayKind.values:
        raise ValueError(f"unknown kind {kind!r}")
    with transaction.atomic():
        # The year's row is locked first: a second entry of the same day waits, then finds it taken
        # (CAL-DAY-TWICE) instead of failing on the unique constraint.
        year_row = _year_row(on.year)
        rules.check_day(on=on, kind=kind, name=name, today=timezone.localdate(), taken=_taken(on))
        day = _add(year_row, actor, SpecialDay(on, kind, name), timezone.now())
        record(
            actor=actor,
            action="calendar.day_add",
            target=day,
            org_id=None,
            label=str(day),
            changes={"on": [None, on.isoformat()], "kind": [None, kind], "name": [None, day.name]},
        )
        _changed({on.year})
    return day


def calendar_schedule_enter(*, scope: Scope, actor, year: int, text: str) -> list[CalendarDay]:
    """Enter a year's published schedule at once (`rules.parse_schedule`): every day checked as one entered
    alone, all or nothing, one audit event on the year."""
    selectors.require_editor(scope)
    days = rules.parse_schedule(text, year=year)
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        row = _year_row(year)  # locked first, as in calendar_day_add
        taken = set(
            CalendarDay.objects.filter(on__in=[d.on for d in days], removed_at__isnull=True).values_list(
                "on", flat=True
            )
        )
        for day in days:
            rules.check_day(on=day.on, kind=day.kind, name=day.name, today=today, taken=day.on in taken)
        added = [_add(row, actor, day, now) for day in days]
        record(
            actor=actor,
            action="calendar.schedule_enter",
            target=row,
            org_id=None,
            label=str(year),
            changes={"days": [None, [f"{d.on.isoformat()} {d.name} {d.get_kind_display()}" for d in added]]},
        )
        _changed({year})
    return added


def calendar_day_remove(*, scope: Scope, actor, day_id: int, reason: str) -> CalendarDay:
    """Take a day out of the calendar (CAL-DAY-REASON): it stays in the table, marked removed, with who, when
    and why."""
    selectors.require_editor(scope)
    with transaction.atomic():
        day = selectors.day_get(scope=scope, day_id=day_id)
        if day.removed_at is not None:
            raise NotFound
        rules.check_removal(reason=reason)
        day.removed_at = timezone.now()
        day.removed_by = actor if getattr(actor, "pk", None) else None
        day.removal_reason = reason.strip()
        day.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record(
            actor=actor,
            action="calendar.day_remove",
            target=day,
            org_id=None,
            label=str(day),
            changes={
                "removed_at": [None, day.removed_at.isoformat()],
                "removal_reason": [None, day.removal_reason],
            },
        )
        _changed({day.on.year})
    return day


def calendar_year_confirm(*, scope: Scope, actor, year: int, note: str = "") -> CalendarYear:
    """Confirm that `year`'s schedule is entered in full (CAL-YEAR-*): from then on periods over it are counted
    without the CAL-WORKDAY flag, and the home page's CAL-YEAR-MISSING warning for it ends."""
    selectors.require_editor(scope)
    with transaction.atomic():
        row = CalendarYear.objects.select_for_update().filter(year=year).first()
        holidays = (
            row.days.filter(kind=DayKind.HOLIDAY, removed_at__isnull=True).count() if row is not None else 0
        )
        rules.check_confirm(year=year, complete=row is not None and row.complete, holidays=holidays)
        row.complete = True
        row.confirmed_at = timezone.now()
        row.confirmed_by = actor if getattr(actor, "pk", None) else None
        row.note = note.strip()[:200]
        row.save(update_fields=["complete", "confirmed_at", "confirmed_by", "note"])
        record(
            actor=actor,
            action="calendar.year_confirm",
            target=row,
            org_id=None,
            label=str(year),
            changes={"complete": [False, True], "note": [None, row.note]},
        )
        _changed({year})
    return row
