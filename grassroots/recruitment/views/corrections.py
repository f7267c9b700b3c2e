"""Correcting a wrongly recorded step: the void form on the dossier's timeline (REC-VOID)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core import permissions
from grassroots.core.http import form_call

from .. import selectors, services
from ..choices import EventKind
from ..forms import VoidForm
from .dossiers import _dossier_context, _errors_of


@login_required
@require_POST
def event_void(request, pk, event_id):
    """Void a step with a reason: a correction entry shown beside the original, which no longer counts. A
    refusal (REC-VOID) is shown on the dossier page next to the form; nothing is saved."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk, roles=permissions.MEMBER_EDIT)
    event = selectors.applicant_event_get(scope=scope, applicant=applicant, event_id=event_id)
    form = VoidForm(request.POST)
    called = form_call(
        form,
        lambda data: services.event_void(
            scope=scope, actor=request.user, applicant=applicant, event=event, reason=data["reason"]
        ),
    )
    if called.ok:
        messages.success(
            request,
            _("已作废步骤：%(step)s（%(date)s）")
            % {"step": EventKind(event.kind).label, "date": event.on.isoformat()},
        )
        return redirect(reverse("recruitment:detail", args=[applicant.pk]) + f"#step-{event.pk}")
    context = _dossier_context(request, applicant)
    context["void_error"] = {"event_id": event.pk, "messages": _errors_of(form)}
    return render(request, "recruitment/detail.html", context)
