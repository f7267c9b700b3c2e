"""Recording one step of a dossier: the form of the step, with its optional document (材料)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.citations import plain_message
from grassroots.core.errors import RuleViolation
from grassroots.core.http import clean_input
from grassroots.meetings import selectors as meeting_selectors
from grassroots.members import selectors as member_selectors
from grassroots.members.choices import MemberStatus

from .. import selectors, services
from ..choices import STEP_DOCUMENT_KIND, EventKind
from ..forms import EventForm, StepDocumentForm
from .dossiers import _dossier_context


def _people(scope, org) -> list[tuple[int, str]]:
    """The branch's full members: who may be a mentor or a sponsor (REC-MENTORS, REC-SPONSORS)."""
    qs = member_selectors.member_list(scope=scope, org=org, status=MemberStatus.FULL, direct_only=True)
    return list(qs.values_list("pk", "name"))


VOTE_KINDS = frozenset({EventKind.BRANCH_VOTE, EventKind.CONVERSION_VOTE})


def _electorate(scope, org, on: dt.date) -> list[tuple[int, str, bool]]:
    """The branch's full members on the vote date, each with whether they are under 留党察看 then."""
    members = member_selectors.full_members_on(scope=scope, org=org, on=on)
    return [(m.pk, m.name, member_selectors.under_disciplinary_probation(m, on)) for m in members]


def _posted_date(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("on") or request.GET.get("on") or "")
    except ValueError:
        return timezone.localdate()


@login_required
def event(request, pk):
    """Record one step (?event=KIND). A refusal names the rule and the earliest lawful date; nothing is
    saved."""
    scope = request.scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=pk, roles=permissions.MEMBER_EDIT)
    kind = request.POST.get("event") or request.GET.get("event") or ""
    if kind not in EventKind.values:
        # The last of the stored next steps (kept equal to the live ones by every step and refresh).
        upcoming = selectors.next_out(applicant.next_steps)
        kind = upcoming[-1]["event"] if upcoming else ""
    if not kind:
        messages.info(request, _("该档案已办结，不能再记录步骤"))
        context = _dossier_context(request, applicant)
        return render(request, "recruitment/event_form.html", context | {"form": None, "refusal": None})
    on = _posted_date(request)
    form = EventForm(
        request.POST or None,
        kind=kind,
        people=_people(scope, applicant.org),
        electorate=_electorate(scope, applicant.org, on) if kind in VOTE_KINDS else None,
        meetings=(
            meeting_selectors.vote_meeting_choices(scope=scope, org=applicant.org, around=on)
            if kind in VOTE_KINDS
            else None
        ),
        initial={"on": on},
    )
    document_form = StepDocumentForm(
        request.POST or None,
        request.FILES or None,
        prefix="document",
        initial={"kind": STEP_DOCUMENT_KIND[kind]},
    )
    refusal = None
    valid = request.method == "POST" and form.is_valid() and document_form.is_valid()
    # Input hygiene on both forms (core.http.clean_input), each refusal on its field.
    if valid and all([clean_input(form), clean_input(document_form)]):
        doc = document_form.cleaned_data
        upload = (
            services.Upload(
                file=doc["file"], kind=doc["kind"] or STEP_DOCUMENT_KIND[kind], title=doc["title"]
            )
            if doc.get("file") is not None
            else None
        )
        try:
            row = services.event_record(
                scope=scope,
                actor=request.user,
                applicant=applicant,
                kind=kind,
                on=form.cleaned_data["on"],
                payload=form.payload(),
                upload=upload,
            )
        except RuleViolation as exc:
            refusal = exc
            if exc.field in form.fields:
                form.fields[exc.field].widget.attrs["aria-invalid"] = "true"
                form.add_error(exc.field, plain_message(exc.message, exc.rule_id))
            elif exc.field in document_form.fields:
                document_form.add_error(exc.field, plain_message(exc.message, exc.rule_id))
        else:
            if selectors.vote_failed(selectors.build_event(row.kind, row.on, row.payload, row.facts)):
                messages.warning(
                    request,
                    _("已记录：%(step)s，表决未通过（REC-VOTE-MAJORITY），可于以后另行表决")
                    % {"step": EventKind(kind).label},
                )
            else:
                messages.success(request, _("已记录：%(step)s") % {"step": EventKind(kind).label})
            return redirect(reverse("recruitment:detail", args=[applicant.pk]))
    # The page around the form, read only when it is shown (a recorded step redirects).
    context = _dossier_context(request, applicant) | {
        "form": form,
        "document_form": document_form,
        "kind": kind,
        "kind_label": EventKind(kind).label,
        "refusal": refusal,
    }
    return render(request, "recruitment/event_form.html", context)
