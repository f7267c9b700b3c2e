"""Correcting a wrongly recorded step (`event_void`): never an edit or a deletion, a correction entry
(`RecruitmentEventVoid`: who, when, why) beside the original, which the timeline shows and the replay leaves
out (REC-VOID). The dossier's stage, stored next steps and milestone dates are recomputed from the steps that
still count, in the same transaction, with one audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import diff, record
from grassroots.core import permissions
from grassroots.core.scoping import Scope, unscoped

from .. import rules, selectors
from ..models import Applicant, RecruitmentEvent, RecruitmentEventVoid
from .dossiers import _audit_state
from .next_steps import _store_next


@transaction.atomic
def event_void(
    *, scope: Scope, actor, applicant: Applicant, event: RecruitmentEvent, reason: str
) -> RecruitmentEventVoid:
    """Void `event`, a step of `applicant`, with `reason` (REC-VOID): only the latest step that still counts,
    and not one that changed the member record. The roles that record steps may void them."""
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    with unscoped():
        applicant = Applicant.objects.select_for_update().select_related("org").get(pk=applicant.pk)
        stored = list(
            RecruitmentEvent.objects.filter(applicant=applicant).select_related("void").order_by("sequence")
        )
    row = next(e for e in stored if e.pk == event.pk)
    row.applicant = applicant  # the dossier as this service leaves it (stage, next steps)
    standing = [e for e in stored if not e.voided]
    target = selectors.build_event(row.kind, row.on, row.payload, row.facts)
    later = sum(1 for e in standing if e.sequence > row.sequence)
    rules.check_void(event=target, voided=row.voided, later=later, reason=reason)
    void = RecruitmentEventVoid(
        event=row, reason=reason.strip(), voided_by=actor if getattr(actor, "pk", None) else None
    )
    void.save(force_insert=True)
    row.void = void

    before = _audit_state(applicant)
    timeline = selectors.timeline_of(applicant, stored)
    applicant.stage = rules.derived_dates(timeline).stage
    today = timezone.localdate()
    policy_row = selectors.policy_row(applicant.org, today)
    steps = selectors.next_for(applicant.stage, timeline, selectors.policy_of_row(policy_row))
    _store_next(applicant, steps, policy_row, today)
    for name, value in selectors.milestones_of(timeline).items():
        setattr(applicant, name, value)
    applicant.save()
    record(
        actor=actor,
        action="recruitment.event_void",
        target=applicant,
        org_id=applicant.org_id,
        changes=diff(before, _audit_state(applicant))
        | {
            "voided": [None, row.sequence],
            "event": [row.kind, None],
            "on": [row.on.isoformat(), None],
            "reason": [None, void.reason],
        },
    )
    return void
