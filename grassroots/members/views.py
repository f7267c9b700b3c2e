"""Member pages: the filtered list, the record with its history, the create/edit/end/transfer forms, and the
transfers page (组织关系转接) where letters are received and receipts registered."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.audit.presenters import history_entries
from grassroots.audit.selectors import history_for
from grassroots.core import id_search, permissions, xlsx
from grassroots.core.dates import full_years_between
from grassroots.core.http import form_call, form_view, picker_answer, picker_text, render_partial
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs.choices import OrgKind

from . import disclosures, ledgers, rules, selectors, services
from . import registry as member_registry
from .choices import TransferStatus
from .filters import STATUS_CHOICES, MemberFilter, TransferFilter
from .forms import (
    MemberCreateForm,
    MemberEndForm,
    MemberForm,
    OwnContactForm,
    TransferCancelForm,
    TransferIssueForm,
    TransferReceiptForm,
    TransferReceiveForm,
    TransferReissueForm,
)
from .models import Transfer

PAGE_SIZE = 50


def _filtered(request):
    """The org (if any) and the filtered member list of a request: the list page and its export share it."""
    member_filter = MemberFilter(id_search.search_data(request), scope=request.scope)
    return member_filter.org, member_filter


@login_required
@require_GET
@id_search.kept_out_of_urls
def member_list(request):
    scope = request.scope
    org, member_filter = _filtered(request)
    page = Paginator(member_filter.paged, PAGE_SIZE).get_page(request.GET.get("page"))
    disclosures.id_search_record(
        scope=scope, actor=request.user, q=member_filter.data.get("q") or "", where="members", org=org
    )
    context = {
        "org": org,
        "filter": member_filter,
        "page": page,
        # Searched through the X-Search header (core.id_search): an export link cannot carry the search, so
        # the list offers none rather than one that would export more than it shows.
        "searched_in_header": id_search.from_header(request) is not None,
        # A branch's party groups, to list the members of one (?group=).
        "groups": _groups(scope, org) if org is not None and org.kind == OrgKind.BRANCH else [],
        "can_create": org is not None
        and org.kind != OrgKind.GROUP
        and permissions.allows(scope, permissions.MEMBER_EDIT, org.path),
    }
    return render_partial(request, "members/list.html", "results", context, target="results")


@login_required
@require_GET
@id_search.kept_out_of_urls
def export(request):
    """The member list as .xlsx (党员名册), with the list page's filters; every matching row, not one page."""
    scope = request.scope
    org, member_filter = _filtered(request)
    today = timezone.localdate()
    members = member_filter.qs
    # The title names the org: the one asked for, else the orgs the caller's grants are on.
    tops = [org] if org else org_selectors.org_top_level(scope=scope)
    title_org = "、".join(o.name for o in tops[:3]) if tops else _("全部党组织")
    tally: dict[str, int] = {}
    file = ledgers.roster_workbook(
        scope=scope,
        members=members,
        title_org=title_org,
        on=today,
        listed=dict(STATUS_CHOICES).get(member_filter.status_choice, _("在册党员")),
        tally=tally,
    )
    disclosures.id_search_record(
        scope=scope, actor=request.user, q=member_filter.data.get("q") or "", where="members.export", org=org
    )
    disclosures.export_record(
        scope=scope,
        actor=request.user,
        export="members.roster",
        title=_("党员名册"),
        org=org,
        rows=tally["rows"],
        clear_id_numbers=tally["clear"] > 0,
    )
    response = xlsx.response(
        file,
        filename=_("%(org)s-党员名册-%(date)s.xlsx") % {"org": title_org, "date": today.isoformat()},
        fallback=f"members-{org.code if org else 'all'}-{today.isoformat()}.xlsx",
    )
    # The page's export button waits for this cookie to know that the download has started (export.js).
    token = request.GET.get("download", "")
    if token.isalnum() and len(token) <= 32:
        response.set_cookie(f"download-{token}", "1", max_age=60, path="/", samesite="Lax")
    return response


def _groups(scope, org):
    return [o for o in org_selectors.org_children(scope=scope, org=org) if o.kind == OrgKind.GROUP]


@login_required
@require_GET
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
    transfers = selectors.transfers_for(scope=scope, member=member)
    context = {
        "member": member,
        "id_number": selectors.member_id_number(scope=scope, member=member),
        "standing_years": rules.party_standing_years(member.converted_on, timezone.localdate()),
        "under_discipline": selectors.under_disciplinary_probation(member, timezone.localdate()),
        "transfers": transfers,
        "reissued": {t.reissue_of_id for t in transfers if t.reissue_of_id},
        "warnings": selectors.member_warnings(scope=scope, member=member, on=timezone.localdate()),
        "entries": history_entries(scope=scope, events=events),
        "can_history": can_history,
        "can_edit": permissions.allows(scope, permissions.MEMBER_EDIT, path),
        "ancestors": org_selectors.org_ancestors(scope=scope, org=member.org),
        "badges": member_registry.member_badges(scope=scope, member=member, today=timezone.localdate()),
    }
    return render(request, "members/detail.html", context)


@login_required
def me(request):
    """A member's own record (我的档案): what it holds, and a form for their own phone and address."""
    scope = request.scope
    member = selectors.own_member(scope=scope)
    if member is None:
        return render(request, "members/me.html", {"member": None})
    return form_view(
        request,
        OwnContactForm(request.POST or None, initial={"phone": member.phone, "address": member.address}),
        lambda data: services.member_update_own(scope=scope, actor=request.user, **data),
        success="members:me",
        message=_("联系方式已更新"),
        template="members/me.html",
        context=lambda: {
            "member": member,
            "id_number": selectors.member_id_number(scope=scope, member=member),
            "transfers": selectors.open_transfers_of(scope=scope, member=member),
        },
    )


def _to_member(member) -> str:
    return reverse("members:detail", args=[member.pk])


@login_required
def create(request, org_code):
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=org_code, roles=permissions.MEMBER_EDIT)
    return form_view(
        request,
        MemberCreateForm(request.POST or None, groups=_groups(scope, org)),
        lambda data: services.member_create(scope=scope, actor=request.user, org=org, **data),
        success=_to_member,
        message=_("已新建党员档案"),
        template="members/form.html",
        context={"org": org, "title": _("新建党员档案")},
    )


def _editable_member(request, pk):
    return selectors.member_get(scope=request.scope, member_id=pk, roles=permissions.MEMBER_EDIT)


@login_required
def edit(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    form = MemberForm(
        request.POST or None,
        initial=MemberForm.initial_from(member),
        groups=_groups(scope, member.org),
        editing=True,
    )
    return form_view(
        request,
        form,
        lambda data: services.member_update(scope=scope, actor=request.user, member=member, **data),
        success=_to_member,
        message=_("党员信息已保存"),
        template="members/form.html",
        context={"member": member, "org": member.org, "title": _("修改党员信息")},
    )


@login_required
def end(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    return form_view(
        request,
        MemberEndForm(request.POST or None, initial={"ended_on": timezone.localdate()}),
        lambda data: services.member_end(scope=scope, actor=request.user, member=member, **data),
        success=_to_member,
        message=_("已办理"),
        template="members/form.html",
        context={"member": member, "org": member.org, "title": _("终止或停止党籍")},
    )


@login_required
def transfer(request, pk):
    scope = request.scope
    member = _editable_member(request, pk)
    today = timezone.localdate()

    def act(data):
        data = dict(data)
        code = data.pop("to_org_code").strip()
        to_org = selectors.transfer_destination(code=code) if code else None
        services.transfer_issue(scope=scope, actor=request.user, member=member, to_org=to_org, **data)
        return member

    return form_view(
        request,
        TransferIssueForm(
            request.POST or None,
            initial={"issued_on": today, "dues_paid_to": today},
            picker_url=reverse("members:transfer_destinations"),
        ),
        act,
        fields={"to_org": "to_org_code"},
        refusals={PermissionDenied: (None, _("您无权办理该党员的组织关系转接"))},
        success=_to_member,
        message=_("已开具介绍信"),
        template="members/form.html",
        context={"member": member, "org": member.org, "title": _("开具组织关系介绍信")},
    )


@login_required
@require_GET
def transfer_destinations(request):
    """The org picker of the letter form: orgs a letter may go to (anywhere in the tree), by name, pinyin or
    initials; only name, kind and code are shown, and only to callers who issue letters."""
    results = selectors.transfer_destinations(scope=request.scope, q=picker_text(request))
    return picker_answer(request, results, default_field="to_org_code")


# ---------------------------------------------------------------------------------------------------------
# Transfers (组织关系转接): the receiving and the sending side.

RECENT_COMPLETED = 20


@dataclass(frozen=True)
class TransferRow:
    """A letter on the transfers page, with what happens next and whether the caller may do it."""

    transfer: Transfer
    expired: bool
    action: str  # "receive", "receipt" or "" (someone else acts)
    waiting_for: str  # who must act next, for letters where it is not the caller


def _incoming_row(scope, t: Transfer, today) -> TransferRow:
    may = permissions.allows(scope, permissions.MEMBER_EDIT, t.to_org.path)
    return TransferRow(t, expired=today > t.valid_until, action="receive" if may else "", waiting_for="")


def _pending_row(scope, t: Transfer, today) -> TransferRow:
    """A letter whose receipt is owed: by the sender (letters leaving the system) or by the receiving org."""
    expired = t.status == TransferStatus.ISSUED and today > t.valid_until
    if t.to_org is None:
        acting = t.from_org
        waiting = _("待转出党组织登记回执")
    elif t.status == TransferStatus.RECEIVED:
        acting = t.to_org
        waiting = _("待%(org)s登记回执") % {"org": t.to_org.short_name or t.to_org.name}
    else:
        return TransferRow(t, expired, "", _("待%(org)s接收") % {"org": t.to_org.short_name or t.to_org.name})
    may = permissions.allows(scope, permissions.MEMBER_EDIT, acting.path)
    return TransferRow(t, expired, "receipt" if may else "", waiting)


def _transfers_page(request, org_code: str, *, failed_id: int | None = None):
    scope = request.scope
    letters = TransferFilter({"org": org_code}, scope=scope)
    org = letters.org
    today = timezone.localdate()
    incoming = [_incoming_row(scope, t, today) for t in letters.section("in")]
    shown = {row.transfer.pk for row in incoming}
    pending_transfers = {
        t.pk: t
        for t in [
            *selectors.transfers_receipt_owed(scope=scope, org=org),
            *letters.section("out"),
        ]
        if t.pk not in shown
    }
    pending = [
        _pending_row(scope, t, today)
        for t in sorted(pending_transfers.values(), key=lambda t: (t.issued_on, t.pk))
    ]
    completed = selectors.transfers_completed(scope=scope, org=org, limit=RECENT_COMPLETED)
    everyone = [row.transfer for row in (*incoming, *pending)] + completed
    context = {
        "org": org,
        "today": today,
        "incoming": incoming,
        "pending": pending,
        "completed": completed,
        "failed_id": failed_id,
        # Sending orgs where the caller may cancel or reissue a letter not yet received.
        "cancellable": {
            t.from_org_id
            for t in pending_transfers.values()
            if t.from_org is not None and permissions.allows(scope, permissions.MEMBER_EDIT, t.from_org.path)
        },
        # Members whose record the caller may open (a letter's member may still be outside their scope).
        "linkable": {
            t.member_id
            for t in everyone
            if permissions.allows(scope, permissions.MEMBER_VIEW, t.member.org.path)
        },
    }
    return render(request, "members/transfers.html", context)


def _transfers_url(org_code: str) -> str:
    url = reverse("members:transfers")
    return f"{url}?{urlencode({'org': org_code})}" if org_code else url


@login_required
@require_GET
def transfers(request):
    """Letters to receive, receipts owed, and the transfers completed lately, in the caller's scope."""
    return _transfers_page(request, request.GET.get("org", "").strip())


def _transfer_action(request, transfer_id, form_class, act, done_message):
    """The shared shape of the two POSTs: find the letter (404 outside the scope), validate, call the service;
    a refusal is shown on the transfers page with its rule id, and nothing is changed."""
    scope = request.scope
    transfer = selectors.transfer_get(scope=scope, transfer_id=transfer_id)
    org_code = request.POST.get("org", "").strip()
    form = form_class(request.POST)
    if form_call(form, lambda data: act(scope, transfer, data)).ok:
        messages.success(request, done_message % {"name": transfer.member.name})
        return redirect(_transfers_url(org_code))
    # A refusal is already safe HTML (its citation, core.http.refusal_html); anything else is escaped.
    error = "；".join(conditional_escape(e) for errors in form.errors.values() for e in errors)
    messages.error(
        request,
        mark_safe(  # every part is escaped: the error above, the name and serial here
            _("%(name)s（介绍信 %(serial)s）：%(error)s")
            % {"name": escape(transfer.member.name), "serial": escape(transfer.letter_serial), "error": error}
        ),
    )
    return _transfers_page(request, org_code, failed_id=transfer.pk)


@login_required
@require_POST
def transfer_receive(request, transfer_id):
    """The receiving org accepts the letter: the member moves to it."""

    def act(scope, transfer, data):
        services.transfer_receive(
            scope=scope, actor=request.user, transfer=transfer, received_on=data["received_on"]
        )

    return _transfer_action(
        request, transfer_id, TransferReceiveForm, act, _("已接收%(name)s的组织关系，请登记回执")
    )


@login_required
@require_POST
def transfer_receipt(request, transfer_id):
    """The receipt (回执) is registered: the transfer is complete."""

    def act(scope, transfer, data):
        services.transfer_return_receipt(
            scope=scope, actor=request.user, transfer=transfer, returned_on=data["returned_on"]
        )

    return _transfer_action(
        request, transfer_id, TransferReceiptForm, act, _("已登记%(name)s的组织关系回执，转接完成")
    )


# ---------------------------------------------------------------------------------------------------------
# The letter itself: printed (介绍信 and 回执), cancelled with a reason, reissued under a new serial.


@login_required
@require_GET
def transfer_print(request, transfer_id):
    """The introduction letter with its stub and receipt (存根, 介绍信, 回执), for A4 and phones. Readers at
    the sending or the receiving org; a cancelled letter prints marked cancelled, with its reason."""
    scope = request.scope
    transfer = selectors.transfer_get(scope=scope, transfer_id=transfer_id)
    member = transfer.member
    context = {
        "t": transfer,
        "member": member,
        "id_number": selectors.member_id_number(scope=scope, member=member),
        "age": full_years_between(member.birth_date, transfer.issued_on),
        "reissues": selectors.transfer_reissues(scope=scope, transfer=transfer),
        "can_read_member": permissions.allows(scope, permissions.MEMBER_VIEW, member.org.path),
    }
    return render(request, "members/transfer_print.html", context)


def _letter_context(transfer, title):
    return {"member": transfer.member, "org": transfer.from_org, "title": title, "letter": transfer}


@login_required
def transfer_cancel(request, transfer_id):
    """Cancel (撤销) a letter not yet received, with a reason; the letter stays on record."""
    scope = request.scope
    transfer = selectors.transfer_get(scope=scope, transfer_id=transfer_id, roles=permissions.MEMBER_EDIT)
    return form_view(
        request,
        TransferCancelForm(request.POST or None, initial={"cancelled_on": timezone.localdate()}),
        lambda data: services.transfer_cancel(scope=scope, actor=request.user, transfer=transfer, **data),
        refusals={PermissionDenied: (None, _("只有转出党组织可以撤销介绍信"))},
        success=lambda t: reverse("members:transfer_print", args=[t.pk]),
        message=_("介绍信已撤销"),
        template="members/form.html",
        context=lambda: _letter_context(transfer, _("撤销介绍信")),
    )


@login_required
def transfer_reissue(request, transfer_id):
    """Reissue a letter under a new serial number (the old one cancelled with a reason if still open)."""
    scope = request.scope
    transfer = selectors.transfer_get(scope=scope, transfer_id=transfer_id, roles=permissions.MEMBER_EDIT)
    return form_view(
        request,
        TransferReissueForm(request.POST or None, initial={"issued_on": timezone.localdate()}),
        lambda data: services.transfer_reissue(scope=scope, actor=request.user, transfer=transfer, **data),
        fields={"cancelled_on": "issued_on"},
        refusals={PermissionDenied: (None, _("只有转出党组织可以重新开具介绍信"))},
        success=lambda t: reverse("members:transfer_print", args=[t.pk]),
        message=_("已重新开具介绍信"),
        template="members/form.html",
        context=lambda: _letter_context(transfer, _("重新开具介绍信")),
    )
