"""The working-day calendar page (工作日历) of its administrators: the years, one year's holidays and swapped
working days with their history, and the forms that enter a day, a whole published schedule, take a day out
and confirm a year complete. Everyone else finds no such page (404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.audit.presenters import history_entries
from grassroots.core.http import form_call

from . import rules, selectors, services
from .forms import ConfirmForm, DayForm, RemoveForm, ScheduleForm

TEMPLATE = "workcalendar/calendar.html"


def _year_asked(request, today) -> int:
    """The year of `?year=` (one the calendar may hold), else the year an administrator should look at: this
    year's or next year's when missing (CAL-YEAR-MISSING), otherwise this year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and rules.FIRST_YEAR <= int(raw) <= today.year + 1:
        return int(raw)
    if not selectors.year_complete(year=today.year):
        return today.year
    if (today.month, today.day) >= rules.MISSING_FROM and not selectors.year_complete(year=today.year + 1):
        return today.year + 1
    return today.year


def _page(request, year: int, *, status: int = 200, **forms: Any):
    scope = request.scope
    today = timezone.localdate()
    row = selectors.year_get(scope=scope, year=year)
    context = {
        "year": year,
        "row": row,
        "years": selectors.year_list(scope=scope, today=today),
        "days": selectors.days_of(scope=scope, year=year),
        "removed": selectors.days_of(scope=scope, year=year, removed=True),
        "entries": history_entries(scope=scope, events=selectors.history(scope=scope, year=year)),
        "day_form": DayForm(initial={"on": f"{year}-01-01"}),
        "schedule_form": ScheduleForm(initial={"year": year}),
        "confirm_form": ConfirmForm(initial={"year": year}),
        "remove_form": None,
        "can_confirm": row is None or not row.complete,
    } | forms
    return render(request, TEMPLATE, context, status=status)


def _back(year: int):
    return redirect(reverse("workcalendar:calendar") + f"?year={year}")


@login_required
def calendar(request):
    """One year of the calendar (`?year=`), the list of years, the forms."""
    selectors.require_editor(request.scope)
    return _page(request, _year_asked(request, timezone.localdate()))


@login_required
@require_POST
def day_add(request):
    scope = request.scope
    selectors.require_editor(scope)
    form = DayForm(request.POST)
    called = form_call(form, lambda data: services.calendar_day_add(scope=scope, actor=request.user, **data))
    if called.ok:
        messages.success(request, _("已录入 %(day)s") % {"day": called.result})
        return _back(called.result.on.year)
    on = getattr(form, "cleaned_data", {}).get("on")
    year = on.year if on is not None else timezone.localdate().year
    return _page(request, year, status=422, day_form=form)


@login_required
@require_POST
def schedule_enter(request):
    scope = request.scope
    selectors.require_editor(scope)
    form = ScheduleForm(request.POST)
    called = form_call(
        form, lambda data: services.calendar_schedule_enter(scope=scope, actor=request.user, **data)
    )
    year = getattr(form, "cleaned_data", {}).get("year")
    if called.ok:
        messages.success(request, _("已录入 %(n)s 天") % {"n": len(called.result)})
        return _back(year)
    return _page(request, year or timezone.localdate().year, status=422, schedule_form=form)


@login_required
@require_POST
def day_remove(request):
    scope = request.scope
    selectors.require_editor(scope)
    form = RemoveForm(request.POST)
    day = selectors.day_get(scope=scope, day_id=form.cleaned_data["day"]) if form.is_valid() else None
    called = form_call(
        form,
        lambda data: services.calendar_day_remove(
            scope=scope, actor=request.user, day_id=data["day"], reason=data["reason"]
        ),
    )
    if called.ok:
        messages.success(request, _("已撤销 %(day)s") % {"day": called.result})
        return _back(called.result.on.year)
    year = day.on.year if day is not None else timezone.localdate().year
    return _page(request, year, status=422, remove_form=form)


@login_required
@require_POST
def year_confirm(request):
    scope = request.scope
    selectors.require_editor(scope)
    form = ConfirmForm(request.POST)
    called = form_call(
        form, lambda data: services.calendar_year_confirm(scope=scope, actor=request.user, **data)
    )
    year = getattr(form, "cleaned_data", {}).get("year")
    if called.ok:
        messages.success(request, _("已确认 %(year)s 年节假日安排完整") % {"year": year})
        return _back(year)
    return _page(request, year or timezone.localdate().year, status=422, confirm_form=form)
