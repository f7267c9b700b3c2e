"""The 三会一课 register (会议记录本) of an org and a year: the page, its printable A4 view and its .xlsx.

The print view and the workbook show people's names (who attended, who was excused and why, who amended the
minutes): each is recorded as a disclosure (`members.disclosures.export_record`), as the roster export is."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.core import xlsx
from grassroots.members import disclosures
from grassroots.orgs import selectors as org_selectors

from .. import ledgers, registers
from ..selectors import MEETING_VIEW


def _register(request, code: str, *, details: bool):
    org = org_selectors.org_get(scope=request.scope, code=code, roles=MEETING_VIEW)
    today = timezone.localdate()
    year = registers.year_of(request.GET.get("year"), today)
    return registers.register_of(scope=request.scope, org=org, year=year, details=details), today


def _disclosed(request, register, export: str, title: str) -> None:
    disclosures.export_record(
        scope=request.scope,
        actor=request.user,
        export=export,
        title=title,
        org=register.org,
        rows=len(register.meetings),
        clear_id_numbers=False,
    )


@login_required
@require_GET
def register(request, code):
    """The register's page: the year's meetings, one line (a card on a phone) each, with the links to print
    and export."""
    reg, today = _register(request, code, details=False)
    context = {
        "register": reg,
        "org": reg.org,
        "today": today,
        "years": range(today.year + 1, today.year - 10, -1),
    }
    return render(request, "meetings/register.html", context)


@login_required
@require_GET
def register_print(request, code):
    """The register as printed (A4): the list, then each finalized meeting on its own page with its minutes,
    amendments, attendance and votes; 补记 marked."""
    reg, today = _register(request, code, details=True)
    _disclosed(request, reg, "meetings.register_print", _("三会一课会议记录本（打印）"))
    return render(request, "meetings/register_print.html", {"register": reg, "org": reg.org, "today": today})


@login_required
@require_GET
def register_xlsx(request, code):
    reg, today = _register(request, code, details=True)
    file = ledgers.register_workbook(reg, on=today)
    _disclosed(request, reg, "meetings.register", _("三会一课会议记录本"))
    return xlsx.response(
        file,
        filename=_("%(org)s-%(year)s年-三会一课会议记录本.xlsx") % {"org": reg.org.name, "year": reg.year},
        fallback=f"meetings-register-{reg.org.code}-{reg.year}.xlsx",
    )
