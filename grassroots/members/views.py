"""Member pages: the filtered list, the record with its history, and the create/edit/end/transfer forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.accounts import permissions
from grassroots.audit.selectors import history_for
from grassroots.core import xlsx
from grassroots.core.errors import RuleViolation
from grassroots.core.http import add_rule_violation, not_found_as_404, render_partial
from grassroots.core.views import history_entries
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind

from . import ledgers, rules, selectors, services
from .filters import MemberFilter
from .forms import MemberCreateForm, MemberEndForm, MemberForm, TransferIssueForm

PAGE_SIZE = 50


def _filtered(request):
    """The org (if any) and the filtered member list of a request: the list page and its export share it."""
    scope = request.scope
    code = request.GET.get("org", "").strip()
    org = org_selectors.org_get(scope=scope, code=code) if code else None
    return org, MemberFilter(request.GET, queryset=selectors.member_list(scope=scope, org=org))


@login_required
@require_GET
@not_found_as_404
def member_list(request):
    scope = request.scope
    org, member_filter = _filtered(request)
    page = Paginator(member_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "filter": member_filter,
        "page": page,
        "can_create": org is not None
        and org.kind != OrgKind.GROUP
        and permissions.allows(scope, permissions.MEMBER_EDIT, org.path),
    }
    return render_partial(request, "members/list.html", "results", context, target="results")


@login_required
@require_GET
@not_found_as_404
def export(request):
    """The member list as .xlsx (党员名册), with the list page's filters; every matching row, not one page."""
    scope = request.scope
    org, member_filter = _filtered(request)
    today = timezone.localdate()
    title_org = org.name if org else _("本人管理范围")
    file = ledgers.roster_workbook(scope=scope, members=member_filter.qs, title_org=title_org, on=today)
    return xlsx.response(
        file,
        filename=_("%(org)s-党员名册-%(date)s.xlsx") % {"org": title_org, "date": today.isoformat()},
        fallback=f"members-{org.code if org else 'all'}-{today.isoformat()}.xlsx",
    )


def _groups(scope, org):
    return [o for o in org_selectors.org_children(scope=scope, org=org) if o.kind == OrgKind.GROUP]


@login_required
@require_GET
@not_found_as_404
def detail(request, pk):
    scope = request.scope
    member = selectors.member_get(scope=scope, member_id=pk)
    path = member.org.path
    can_history = permissions.allows(scope, permissions.AUDIT_VIEW, path)
    events = (
        history_for(scope=scope, target_type="members.member", target_id=member.pk, path=path)
        if can_history
        else []
    )
    context = {
        "member": member,
        "id_number": selectors.member_id_number(scope=scope, member=member),
        "standing_years": rules.party_standing_years(member.converted_on, timezone.localdate()),
        "transfers": selectors.transfers_for(scope=scope, member=member),
        "entries": history_entries(scope=scope, events=events),
        "can_history": can_history,
        "can_edit": permissions.allows(scope, permissions.MEMBER_EDIT, path),
        "ancestors": org_selectors.org_ancestors(scope=scope, org=member.org),
    }
    return render(request, "members/detail.html", context)


@login_required
@not_found_as_404
def create(request, org_code):
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=org_code)
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    form = MemberCreateForm(request.POST or None, groups=_groups(scope, org))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = services.member_create(
                scope=scope,
                actor=request.user,
                org=org,
                id_number=data.pop("id_number"),
                status=data.pop("status"),
                **data,
            )
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("已新建党员档案"))
            return redirect("members:detail", pk=member.pk)
    context = {"form": form, "org": org, "title": _("新建党员档案")}
    return render(request, "members/form.html", context)


def _editable_member(request, pk):
    member = selectors.member_get(scope=request.scope, member_id=pk)
    permissions.require(request.scope, permissions.MEMBER_EDIT, member.org.path)
    return member


@login_required
@not_found_as_404
def edit(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    form = MemberForm(
        request.POST or None,
        initial=MemberForm.initial_from(member),
        groups=_groups(scope, member.org),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        id_number = data.pop("id_number") or None
        try:
            services.member_update(
                scope=scope, actor=request.user, member=member, id_number=id_number, **data
            )
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("党员信息已保存"))
            return redirect("members:detail", pk=member.pk)
    context = {"form": form, "member": member, "org": member.org, "title": _("修改党员信息")}
    return render(request, "members/form.html", context)


@login_required
@not_found_as_404
def end(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    form = MemberEndForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(scope=scope, actor=request.user, member=member, **form.cleaned_data)
        except RuleViolation as exc:
            add_rule_violation(form, exc)
        else:
            messages.success(request, _("已办理"))
            return redirect("members:detail", pk=member.pk)
    context = {"form": form, "member": member, "org": member.org, "title": _("终止或停止党籍")}
    return render(request, "members/form.html", context)


@login_required
@not_found_as_404
def transfer(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    today = timezone.localdate()
    form = TransferIssueForm(request.POST or None, initial={"issued_on": today, "dues_paid_to": today})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("to_org_code").strip()
        try:
            to_org = selectors.transfer_destination(code=code) if code else None
            services.transfer_issue(scope=scope, actor=request.user, member=member, to_org=to_org, **data)
        except RuleViolation as exc:
            if exc.field == "to_org":
                exc.field = "to_org_code"
            add_rule_violation(form, exc)
        except PermissionDenied:
            form.add_error(None, _("您无权办理该党员的组织关系转接"))
        else:
            messages.success(request, _("已开具介绍信"))
            return redirect("members:detail", pk=member.pk)
    context = {"form": form, "member": member, "org": member.org, "title": _("开具组织关系介绍信")}
    return render(request, "members/form.html", context)
