"""The lapse watch (MEM-LAPSE-6M) of an org: members at the lapse and warn levels first, each with the months
and the meetings missed; the excusal form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.errors import NotFound
from grassroots.core.http import form_view
from grassroots.orgs import selectors as org_selectors

from .. import lapse as lapse_selectors
from .. import selectors, services
from ..forms import ExcusalForm

PAGE_SIZE = 30
LEVELS = ("lapse", "warn")


@login_required
def lapse(request, code):
    """The lapse watch of an org's subtree (`?level=lapse|warn`); its secretaries record excusals."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=selectors.MEETING_VIEW)
    today = timezone.localdate()
    can_edit = permissions.allows(scope, selectors.MEETING_EDIT, org.path)
    if request.method == "POST":
        permissions.require(scope, selectors.MEETING_EDIT, org.path)
    level = request.GET.get("level") if request.GET.get("level") in LEVELS else None

    def context() -> dict[str, Any]:
        watch = lapse_selectors.lapse_watch(scope=scope, org=org, today=today, level=level)
        page = Paginator(watch, PAGE_SIZE).get_page(request.GET.get("page"))
        return {
            "org": org,
            "page": page,
            "levels": watch.levels(),
            "level": level or "",
            "today": today,
            "policy": selectors.policy_for(org, today),
            "can_edit": can_edit,
        }

    if not can_edit:
        return render(request, "meetings/lapse.html", context() | {"form": None})

    def act(data):
        member = selectors.member_in(scope=scope, org=org, member_id=data["member"])
        if member is None:
            raise NotFound
        return services.excusal_record(
            scope=scope,
            actor=request.user,
            member=member,
            reason_kind=data["reason_kind"],
            reason=data["reason"],
            from_month=data["from_month"],
            until_month=data["until_month"],
        )

    return form_view(
        request,
        ExcusalForm(request.POST or None, members=selectors.member_choices(scope=scope, org=org)),
        act,
        success=reverse("meetings:lapse", kwargs={"code": org.code}),
        message=_("已登记正当理由"),
        template="meetings/lapse.html",
        context=context,
        status=422,
    )
