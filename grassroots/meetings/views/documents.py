"""A meeting's documents (材料) on its page: uploading a photo, the scanned sign-in sheet or the papers, and
withdrawing a wrong upload with a reason. A refusal is shown on the meeting's page beside the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.http import form_call

from .. import documents as reads
from .. import selectors, services
from ..forms import DocumentWithdrawForm, MeetingDocumentForm
from .meetings import detail_context


def _errors_of(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


@login_required
@require_POST
def document_add(request, meeting_id):
    """Keep a document with the meeting (MEETING_EDIT; allowed after the minutes are final)."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    form = MeetingDocumentForm(request.POST, request.FILES)
    called = form_call(
        form,
        lambda data: services.meeting_document_attach(
            scope=scope, actor=request.user, meeting=meeting, **data
        ),
    )
    if called.ok:
        messages.success(request, _("已上传材料：%(title)s") % {"title": called.result.title})
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#document-{called.result.pk}")
    context = detail_context(request, meeting, upload_errors=_errors_of(form))
    return render(request, "meetings/detail.html", context, status=422)


@login_required
@require_POST
def document_withdraw(request, meeting_id, document_id):
    """Withdraw a wrong upload (撤回) with a reason: it stays on the meeting's page, struck through."""
    scope = request.scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    document = reads.meeting_document_get(scope=scope, meeting=meeting, document_id=document_id)
    form = DocumentWithdrawForm(request.POST)
    called = form_call(
        form,
        lambda data: services.meeting_document_withdraw(
            scope=scope, actor=request.user, meeting=meeting, document=document, reason=data["reason"]
        ),
    )
    if called.ok:
        messages.success(request, _("已撤回材料：%(title)s") % {"title": document.title})
        return redirect(reverse("meetings:detail", args=[meeting.pk]) + f"#document-{document.pk}")
    context = detail_context(
        request, meeting, withdraw_error={"document_id": document.pk, "messages": _errors_of(form)}
    )
    return render(request, "meetings/detail.html", context, status=422)
