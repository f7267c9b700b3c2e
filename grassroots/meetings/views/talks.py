"""Heart-to-heart talks (谈心谈话) of an org: the list (by year) and the form recording a new one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.http import form_view
from grassroots.orgs import selectors as org_selectors

from .. import selectors, services
from ..filters import TalkFilter
from ..forms import TalkForm

PAGE_SIZE = 50


@login_required
def talks(request, code):
    """The talks of an org's subtree, newest first (`?year=`); its secretaries record new ones."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=selectors.MEETING_VIEW)
    can_edit = permissions.allows(scope, selectors.MEETING_EDIT, org.path)
    if request.method == "POST":
        permissions.require(scope, selectors.MEETING_EDIT, org.path)

    def context() -> dict[str, Any]:
        filterset = TalkFilter(request.GET.dict() | {"org": org.code}, scope=scope)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return {"org": org, "page": page, "year": request.GET.get("year", ""), "can_edit": can_edit}

    def act(data):
        return services.talk_record(
            scope=scope,
            actor=request.user,
            org=org,
            held_on=data["held_on"],
            initiator=selectors.member_in(scope=scope, org=org, member_id=data["initiator"]),
            counterpart=selectors.member_in(scope=scope, org=org, member_id=data["counterpart"]),
            topic=data["topic"],
            summary=data["summary"],
        )

    form = (
        TalkForm(request.POST or None, members=selectors.member_choices(scope=scope, org=org))
        if can_edit
        else None
    )
    if form is None:
        return render(request, "meetings/talks.html", context() | {"form": None})
    return form_view(
        request,
        form,
        act,
        success=reverse("meetings:talks", kwargs={"code": org.code}),
        message=_("已登记谈心谈话"),
        template="meetings/talks.html",
        context=context,
        status=422,
    )
