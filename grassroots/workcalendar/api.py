"""The calendar router (工作日历): the years, one year's days, and the administrators' writes. For anyone but
the calendar's administrators every operation answers 404 (selectors.require_editor).

No `from __future__ import annotations` here: ninja reads the operations' parameter types."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS

from . import selectors, services
from .schemas import ConfirmIn, DayIn, DayOut, RemoveIn, ScheduleIn, YearDetailOut, YearOut

router = Router(tags=["calendar"])


def _year_out(row: selectors.YearRow) -> dict:
    return {
        "year": row.year,
        "complete": row.complete,
        "source": row.row.source if row.row is not None else None,
        "holidays": row.holidays,
        "workdays": row.workdays,
        "confirmed_at": row.row.confirmed_at if row.row is not None else None,
    }


def _year_detail(scope, year: int) -> dict:
    rows = {r.year: r for r in selectors.year_list(scope=scope, today=timezone.localdate())}
    row = rows.get(year) or selectors.YearRow(year=year, row=None, holidays=0, workdays=0)
    days = selectors.days_of(scope=scope, year=year) + selectors.days_of(scope=scope, year=year, removed=True)
    return _year_out(row) | {"days": sorted(days, key=lambda d: (d.on, d.pk))}


@router.get("/years", response={200: list[YearOut], **ERRORS})
def year_list(request: HttpRequest):
    """Every year of the calendar, newest first (next year listed even with nothing entered)."""
    scope = caller(request).scope
    return [_year_out(r) for r in selectors.year_list(scope=scope, today=timezone.localdate())]


@router.get("/years/{year}", response={200: YearDetailOut, **ERRORS})
def year_detail(request: HttpRequest, year: int):
    """One year: whether it is complete, and its days (those removed too, marked)."""
    return _year_detail(caller(request).scope, year)


@router.post("/days", response={201: DayOut, **ERRORS})
def day_add(request: HttpRequest, payload: DayIn):
    """Enter a holiday or a swapped working day (CAL-DAY-YEAR, CAL-DAY-NAME, CAL-DAY-WEEKEND, CAL-DAY-TWICE)."""
    who = caller(request)
    day = services.calendar_day_add(scope=who.scope, actor=who.user, **payload.model_dump())
    return Status(201, day)


@router.post("/years/{year}/schedule", response={201: YearDetailOut, **ERRORS})
def schedule_enter(request: HttpRequest, year: int, payload: ScheduleIn):
    """Enter a year's published schedule at once, all or nothing (CAL-SCHEDULE-LINE and the CAL-DAY-* rules)."""
    who = caller(request)
    services.calendar_schedule_enter(scope=who.scope, actor=who.user, year=year, text=payload.text)
    return Status(201, _year_detail(who.scope, year))


@router.post("/days/{day_id}/remove", response={200: DayOut, **ERRORS})
def day_remove(request: HttpRequest, day_id: int, payload: RemoveIn):
    """Take a day out (CAL-DAY-REASON): it stays, marked removed."""
    who = caller(request)
    return services.calendar_day_remove(scope=who.scope, actor=who.user, day_id=day_id, reason=payload.reason)


@router.post("/years/{year}/confirm", response={200: YearDetailOut, **ERRORS})
def year_confirm(request: HttpRequest, year: int, payload: ConfirmIn):
    """Confirm the year's schedule complete (CAL-YEAR-COMPLETE, CAL-YEAR-EMPTY)."""
    who = caller(request)
    services.calendar_year_confirm(scope=who.scope, actor=who.user, year=year, note=payload.note)
    return _year_detail(who.scope, year)
