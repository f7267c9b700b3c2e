"""The ledger (发展党员台账): every dossier of a subtree with its milestone dates; printable, and as .xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.core import xlsx

from .. import ledgers, presenters
from ..choices import Stage
from ..filters import ApplicantFilter

# The ledger page shows this many rows at a time; the Excel export has them all.
LEDGER_PAGE_SIZE = 100


@login_required
@require_GET
def ledger(request):
    """The ledger (发展党员台账): every dossier with its milestone dates; printable (A4), ?format=xlsx exports.
    Filtered by `filters.ApplicantFilter` (?org, ?q, ?stage, ?year), as `GET /recruitment/applicants` is."""
    ledger_filter = ApplicantFilter(request.GET, scope=request.scope)
    org = ledger_filter.org
    today = timezone.localdate()
    stage = ledger_filter.value("stage") or ""
    q = ledger_filter.value("q") or ""
    year = ledger_filter.value("year")
    rows = ledger_filter.qs
    title_org = org.name if org else _("本人管理范围")
    if year is not None:
        title_org = _("%(org)s %(year)s年入党") % {"org": title_org, "year": year}
    if request.GET.get("format") == "xlsx":
        return xlsx.response(
            ledgers.ledger_workbook(
                rows=(presenters.ledger_line(a) for a in rows.iterator(chunk_size=2000)),
                title_org=title_org,
                on=today,
            ),
            filename=_("%(org)s-发展党员台账-%(date)s.xlsx") % {"org": title_org, "date": today.isoformat()},
            fallback=f"recruitment-{org.code if org else 'all'}-{today.isoformat()}.xlsx",
        )
    page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "rows": [presenters.ledger_line(a) for a in page.object_list],
        "page": page,
        "count": page.paginator.count,
        "first_number": page.start_index(),
        "today": today,
        "title_org": title_org,
        "stage": stage,
        "stages": Stage.choices,
        "q": q,
        "year": year,
        "years": range(today.year, today.year - 10, -1),
    }
    return render(request, "recruitment/ledger.html", context)
