"""The ledger (发展党员台账): every dossier of a subtree with its milestone dates; printable, and as .xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.core import id_search, xlsx
from grassroots.members import disclosures

from .. import ledgers, presenters
from ..choices import Stage
from ..filters import ApplicantFilter

# The ledger page shows this many rows at a time; the Excel export has them all.
LEDGER_PAGE_SIZE = 100


@login_required
@require_GET
@id_search.kept_out_of_urls
def ledger(request):
    """The ledger (发展党员台账): every dossier with its milestone dates; printable (A4), ?format=xlsx exports.
    Filtered by `filters.ApplicantFilter` (?org, ?q, ?stage, ?year), as `GET /recruitment/applicants` is."""
    ledger_filter = ApplicantFilter(id_search.search_data(request), scope=request.scope)
    org = ledger_filter.org
    today = timezone.localdate()
    stage = ledger_filter.value("stage") or ""
    q = ledger_filter.value("q") or ""
    year = ledger_filter.value("year")
    rows = ledger_filter.qs
    title_org = org.name if org else _("本人管理范围")
    if year is not None:
        title_org = _("%(org)s %(year)s年入党") % {"org": title_org, "year": year}
    disclosures.id_search_record(scope=request.scope, actor=request.user, q=q, where="recruitment", org=org)
    if request.GET.get("format") == "xlsx":
        written = [0]

        def lines():
            for a in rows.iterator(chunk_size=2000):
                written[0] += 1
                yield presenters.ledger_line(a)

        file = ledgers.ledger_workbook(rows=lines(), title_org=title_org, on=today)
        disclosures.export_record(
            scope=request.scope,
            actor=request.user,
            export="recruitment.ledger",
            title=_("发展党员台账"),
            org=org,
            rows=written[0],
            clear_id_numbers=False,
        )
        return xlsx.response(
            file,
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
        "searched_in_header": id_search.from_header(request) is not None,  # no export link (members:list)
        "year": year,
        "years": range(today.year, today.year - 10, -1),
    }
    return render(request, "recruitment/ledger.html", context)
