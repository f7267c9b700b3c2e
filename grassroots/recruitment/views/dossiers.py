"""The dossier (发展党员档案): opening one, its page with the timeline, next steps and documents, the per-person
summary (发展党员纪实表), and the documents (材料) uploaded to it or withdrawn."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.core import permissions, xlsx
from grassroots.core.http import form_call, form_view
from grassroots.documents import services as document_services
from grassroots.members import disclosures
from grassroots.members import selectors as member_selectors
from grassroots.orgs import selectors as org_selectors
from grassroots.workcalendar.selectors import calendar

from .. import ledgers, presenters, rules, selectors, services
from ..choices import DOSSIER_DOCUMENT_KIND, DossierDocumentKind, EventKind
from ..forms import ApplicantForm, DocumentForm, WithdrawForm


@login_required
def create(request, code):
    """Open a dossier for someone who applied in writing (入党申请人)."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, code=code, roles=permissions.MEMBER_EDIT)
    return form_view(
        request,
        ApplicantForm(request.POST or None),
        lambda data: services.applicant_create(scope=scope, actor=request.user, org=org, **data),
        success=lambda applicant: reverse("recruitment:detail", kwargs={"pk": applicant.pk}),
        message=_("已登记入党申请人"),
        template="recruitment/applicant_form.html",
        context={"org": org, "title": _("登记入党申请人")},
    )


def _dossier_context(request, applicant) -> dict[str, Any]:
    scope = request.scope
    today = timezone.localdate()
    data = selectors.dossier(scope=scope, applicant=applicant)
    ids = sorted({pk for e in data["timeline"] for pk in presenters.named_ids(e["payload"])})
    names = {pk: m.name for pk, m in member_selectors.members_by_id(scope=scope, ids=ids).items()}
    by_step = presenters.arrange_dossier(data, names, today)
    return {
        "applicant": applicant,
        "dossier": data,
        "org": applicant.org,
        "today": today,
        "can_edit": permissions.allows(scope, permissions.MEMBER_EDIT, applicant.org.path)
        and applicant.stage not in rules.TERMINAL,
        "ancestors": org_selectors.org_ancestors(scope=scope, org=applicant.org),
        # The steps the stage graph allows at the dossier's stage (rules.GRAPH), in the procedure's order.
        "kinds": [(k, label) for k, label in EventKind.choices if k in rules.GRAPH.get(applicant.stage, {})],
        # Documents may be added to any dossier the caller edits, closed ones included (archives get filed).
        "can_attach": permissions.allows(scope, permissions.MEMBER_EDIT, applicant.org.path),
        "dossier_documents": by_step.get(None, []),
        "dossier_document_kind": DOSSIER_DOCUMENT_KIND,
        "document_kinds": DossierDocumentKind.choices,
    }


@login_required
@require_GET
def detail(request, pk):
    """The dossier: the stage, the recorded steps, and what may come next, from when and by when."""
    applicant = selectors.applicant_get(scope=request.scope, applicant_id=pk)
    return render(request, "recruitment/detail.html", _dossier_context(request, applicant))


@login_required
@require_GET
def summary(request, pk):
    """The per-person summary (发展党员纪实表): an A4 page of every milestone, to print and sign;
    ?format=xlsx exports the same rows."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    context = _dossier_context(request, applicant)
    rows = presenters.milestone_rows(applicant, context["dossier"], calendar())
    id_number = selectors.applicant_id_number(scope=scope, applicant=applicant)
    if request.GET.get("format") == "xlsx":
        today = context["today"]
        disclosures.export_record(
            scope=scope,
            actor=request.user,
            export="recruitment.summary",
            title=_("发展党员纪实表 %(name)s") % {"name": applicant.name},
            org=applicant.org,
            rows=1,
            clear_id_numbers=id_number != applicant.id_number_masked,
        )
        return xlsx.response(
            ledgers.summary_workbook(applicant=applicant, id_number=id_number, rows=rows, on=today),
            filename=_("%(name)s-发展党员纪实表-%(date)s.xlsx")
            % {"name": applicant.name, "date": today.isoformat()},
            fallback=f"recruitment-summary-{applicant.pk}-{today.isoformat()}.xlsx",
        )
    return render(
        request,
        "recruitment/summary.html",
        context
        | {"rows": rows, "id_number": id_number, "catalogue": presenters.catalogue(context["dossier"])},
    )


def _errors_of(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@login_required
@require_POST
def document_upload(request, pk):
    """Keep a document (材料) with the dossier or one of its steps (`event`). A refusal (DOC-TYPE, DOC-SIZE,
    DOC-EMPTY) is shown on the dossier page next to the upload form; nothing is saved."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk, roles=permissions.MEMBER_EDIT)
    form = DocumentForm(request.POST, request.FILES)

    def attach(data: dict[str, Any]):
        event = (
            selectors.applicant_event_get(scope=scope, applicant=applicant, event_id=data["event"])
            if data["event"] is not None
            else None
        )
        services.dossier_document_attach(
            scope=scope,
            actor=request.user,
            applicant=applicant,
            kind=data["kind"],
            title=data["title"],
            file=data["file"],
            event=event,
        )
        return event

    called = form_call(form, attach)
    if called.ok:
        data = form.cleaned_data
        messages.success(request, _("已上传材料：%(title)s") % {"title": data["title"] or data["file"].name})
        anchor = f"#step-{called.result.pk}" if called.result is not None else "#documents"
        return redirect(reverse("recruitment:detail", args=[applicant.pk]) + anchor)
    context = _dossier_context(request, applicant)
    context["upload_error"] = {
        "event_id": str(request.POST.get("event") or ""),
        "messages": _errors_of(form),
    }
    return render(request, "recruitment/detail.html", context)


@login_required
@require_POST
def document_withdraw(request, pk, document_id):
    """Withdraw a wrong upload (撤回), with a reason: it stays on the dossier, struck through."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk)
    document = selectors.dossier_document_get(scope=scope, applicant=applicant, document_id=document_id)
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    form = WithdrawForm(request.POST)
    called = form_call(
        form,
        lambda data: document_services.document_withdraw(
            scope=scope, actor=request.user, document=document, reason=data["reason"]
        ),
    )
    if called.ok:
        messages.success(request, _("已撤回材料：%(title)s") % {"title": document.title})
        return redirect(reverse("recruitment:detail", args=[applicant.pk]) + f"#document-{document.pk}")
    context = _dossier_context(request, applicant)
    context["withdraw_error"] = {"document_id": document.pk, "messages": _errors_of(form)}
    return render(request, "recruitment/detail.html", context)
