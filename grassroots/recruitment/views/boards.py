"""The board (发展党员看板): open dossiers by stage and urgency, and the table of the direct child orgs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.accounts.selectors import grants_of
from grassroots.core import permissions, xlsx
from grassroots.core.pagination import Counted
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind

from .. import ledgers, presenters, selectors
from ..choices import Stage
from ..filters import BoardFilter

# A column of the whole board shows the most urgent cards; one stage at a time pages through all of them.
BOARD_COLUMN_LIMIT = 30
BOARD_PAGE_SIZE = 60


def _child_rows(scope, org, counts: dict[str, dict[str, tuple]]) -> tuple[list[dict], dict | None]:
    """The per-child table (`presenters.child_rows`) of the direct child orgs, party groups aside."""
    children = [
        c
        for c in org_selectors.org_children(scope=scope, org=org, include_ended=True)
        if c.kind != OrgKind.GROUP
    ]
    return presenters.child_rows(children, counts)


def _single_org(request):
    """The one org whose dossiers the caller reads, when their grants name exactly one (None otherwise)."""
    orgs = {
        g.org.pk: g.org
        for g in grants_of(request.user)
        if g.role in permissions.MEMBER_VIEW and g.org.ended_on is None
    }
    return next(iter(orgs.values())) if len(orgs) == 1 else None


@login_required
@require_GET
def board(request):
    """The pipeline board (发展党员看板): open dossiers by stage, each with its next step and earliest date;
    ?stage= keeps one stage, ?overdue=1 the dossiers with an overdue step. For an org with child orgs, a table
    of each child's counts (各下级组织发展党员情况), every count opening the board behind it; with
    ?format=xlsx that table is exported."""
    scope = request.scope
    code = request.GET.get("org", "").strip()
    if not code:
        home = _single_org(request)
        if home is not None:
            # One org to look after: its board, with the per-child table where it has children.
            query = request.GET.copy()
            query["org"] = home.code
            return redirect(f"{reverse('recruitment:board')}?{query.urlencode()}")
    today = timezone.localdate()
    board_filter = BoardFilter(request.GET, scope=scope, today=today)
    org = board_filter.org
    stage = board_filter.value("stage") or ""
    overdue_only = board_filter.overdue_only
    counts = selectors.pipeline_counts(scope=scope, org=org, today=today)
    children, totals = _child_rows(scope, org, counts) if org is not None else ([], None)
    if request.GET.get("format") == "xlsx" and children:
        return xlsx.response(
            ledgers.children_workbook(org=org, rows=children, totals=totals, on=today),
            filename=_("%(org)s-各下级组织发展党员情况-%(date)s.xlsx")
            % {"org": org.name, "date": today.isoformat()},
            fallback=f"recruitment-children-{org.code}-{today.isoformat()}.xlsx",
        )
    per_stage = presenters.stage_totals(counts)
    page = None
    if stage:
        # One stage: every card, a page at a time. The column's count (read above with the others, over the
        # same dossiers) numbers the pages, so the page is one query of its rows, without a COUNT.
        n, overdue = per_stage[stage]
        page = Paginator(Counted(board_filter.qs, overdue if overdue_only else n), BOARD_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        cards = {stage: [selectors.card_of(a, today) for a in page.object_list]}
    else:
        # The whole board: the most urgent cards of each stage, in one query.
        cards = selectors.pipeline(
            scope=scope, org=org, today=today, limit=BOARD_COLUMN_LIMIT, overdue_only=overdue_only
        )
    columns = []
    for key in selectors.BOARD_STAGES:
        if stage and key != stage:
            continue
        n, overdue = per_stage[key]
        count = overdue if overdue_only else n
        columns.append(
            {
                "stage": key,
                "label": Stage(key).label,
                "count": count,
                "cards": cards[key],
                "limit": BOARD_PAGE_SIZE if stage else BOARD_COLUMN_LIMIT,
                "more": 0 if stage else max(0, count - BOARD_COLUMN_LIMIT),
            }
        )
    context = {
        "org": org,
        "columns": columns,
        "stage": stage,
        "overdue_only": overdue_only,
        "stages": [(key, Stage(key).label) for key in selectors.BOARD_STAGES],
        "children": children,
        "totals": totals,
        "total": sum(c["count"] for c in columns),
        "page": page,
        "today": today,
        "can_create": org is not None
        and org.kind == OrgKind.BRANCH
        and not org.ended_on
        and permissions.allows(scope, permissions.MEMBER_EDIT, org.path),
    }
    return render(request, "recruitment/board.html", context)
