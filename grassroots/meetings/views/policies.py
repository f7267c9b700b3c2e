"""The meeting policy (组织生活规则参数) of an org: in force today, its source and history; new ones."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.http import form_view
from grassroots.orgs import selectors as org_selectors

from .. import selectors, services
from ..forms import PolicyForm
from ..models import MeetingPolicy


def policy_lines(policy: selectors.Policy) -> list[tuple[Any, Any]]:
    return [
        (MeetingPolicy._meta.get_field(name).verbose_name, getattr(policy, name))
        for name in selectors.POLICY_FIELDS
    ]


@login_required
def policy(request, code):
    """The meeting policy in force for an org today, where it comes from and its history; org admins of the
    org add a new effective-dated policy for its subtree (MTG-POLICY)."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code)
    today = timezone.localdate()
    row = selectors.policy_row(org, today)
    current = selectors.policy_of_row(row)
    can_edit = permissions.allows(scope, permissions.ADMIN, org.path)
    if request.method == "POST":
        permissions.require(scope, permissions.ADMIN, org.path)

    def context() -> dict[str, Any]:
        return {
            "org": org,
            "today": today,
            "row": row,
            "values": policy_lines(current),
            "history": selectors.policy_history(org),
            "can_edit": can_edit,
        }

    if not can_edit:
        return render(request, "meetings/policy.html", context() | {"form": None})
    return form_view(
        request,
        PolicyForm(request.POST or None, initial={"effective_from": today, **dataclasses.asdict(current)}),
        lambda data: services.policy_set(scope=scope, actor=request.user, org=org, **data),
        success=reverse("meetings:policy", kwargs={"code": org.code}),
        message=_("已保存组织生活规则参数"),
        template="meetings/policy.html",
        context=context,
        status=422,
    )
