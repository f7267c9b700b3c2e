"""Reads of dossiers (发展党员档案): the list and search, one dossier with its steps, its documents (材料) and
what may come next, and the applicant's ID number. Every function takes the caller's scope; dossiers are read
with the roles that read member records (MEMBER_VIEW)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core import crypto, id_number, permissions, pinyin
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope, unscoped
from grassroots.core.textsearch import normalize_query
from grassroots.documents import selectors as document_selectors
from grassroots.documents.models import Document
from grassroots.orgs.models import Org

from .. import rules
from ..choices import EventKind, Stage
from ..models import Applicant, RecruitmentEvent
from ..payloads import invalid
from ..presenters import EVENT_KEY, document_out
from .policies import policy_for
from .timelines import build_event, next_of, timeline_of


def _viewable(scope: Scope) -> Scope:
    """The part of the scope in which the caller may read dossiers (the roles that read member records)."""
    return scope.with_roles(permissions.MEMBER_VIEW)


def search_q(q: str, scope: Scope | None = None) -> Q:
    """Name, full pinyin or initials (张三 ← "张", "zhangsan", "zs"), an exact ID number, or an ID number's last
    four characters (id_number.tail_query, found through their keyed hash). Full-width input reads as
    half-width (textsearch.normalize_query). With `scope`, an ID number or its tail finds only the dossiers
    whose number the caller may read in clear (as members.selectors.search_q)."""
    q = normalize_query(q)
    allowed = Q() if scope is None else scope.with_roles(permissions.ID_NUMBER_VIEW).q("org__path")
    if id_number.full_query(q):
        return Q(id_number_hash=crypto.keyed_hash(id_number.normalize(q))) & allowed
    tail = id_number.tail_query(q)
    if tail:
        return Q(id_number_tail_hash=crypto.tail_hash(tail)) & allowed
    return pinyin.name_q(q)


def applicant_list(
    *, scope: Scope, org: Org | None = None, stage: str | None = None, q: str = ""
) -> QuerySet[Applicant]:
    """Dossiers the caller may read, in `org`'s subtree (or all of the scope), at `stage`, matching the
    search `q` (`search_q`), sorted by pinyin."""
    if org is not None:
        permissions.require(scope, permissions.MEMBER_VIEW, org.path)
        # The scope cut down to the subtree: one path range rather than the grants' and the subtree's.
        qs = Applicant.objects.within(_viewable(scope).narrowed(org.path))
    else:
        qs = Applicant.objects.within(_viewable(scope))
    if stage:
        qs = qs.filter(stage=stage)
    if q.strip():
        qs = qs.filter(search_q(q, scope))
    return qs.select_related("org").order_by("name_sort", "id")


def applicant_get(*, scope: Scope, applicant_id: int, roles: frozenset[str] | None = None) -> Applicant:
    """A dossier the caller may read, fetched and authorized in one call: NotFound when it is missing or not
    readable (the same answer); with `roles` (e.g. permissions.MEMBER_EDIT), PermissionDenied unless the
    caller has one of them at the dossier's org."""
    applicant = (
        Applicant.objects.within(_viewable(scope)).filter(pk=applicant_id).select_related("org").first()
    )
    if applicant is None:
        raise NotFound
    if roles is not None:
        permissions.require(scope, roles, applicant.org.path)
    return applicant


def applicant_events(*, scope: Scope, applicant: Applicant) -> list[RecruitmentEvent]:
    """The recorded steps of a dossier, oldest first."""
    return list(
        RecruitmentEvent.objects.within(_viewable(scope))
        .filter(applicant=applicant)
        .select_related("recorded_by", "void__voided_by")
        .order_by("sequence")
    )


def dossier_documents(
    *, scope: Scope, applicant: Applicant, events: list[RecruitmentEvent] | None = None
) -> list[dict[str, Any]]:
    """Every document of the dossier and of its steps, oldest first: one query (two without `events`)."""
    if events is None:
        events = applicant_events(scope=scope, applicant=applicant)
    rows = document_selectors.documents_for(scope=scope, subjects=[applicant, *events])
    return [document_out(d) for d in rows]


def applicant_event_get(*, scope: Scope, applicant: Applicant, event_id: int) -> RecruitmentEvent:
    """A step of this dossier by id; a step of another dossier (or none) is refused as invalid input."""
    event = RecruitmentEvent.objects.within(_viewable(scope)).filter(pk=event_id, applicant=applicant).first()
    if event is None:
        raise invalid(_("输入有误：该步骤不属于本档案（API-VALIDATION）"), "event_id")
    return event


def dossier_document_get(*, scope: Scope, applicant: Applicant, document_id: int) -> Document:
    """A document of this dossier (of the applicant or one of its steps); NotFound otherwise."""
    document = document_selectors.document_get(scope=scope, document_id=document_id)
    key = (f"{document.subject_type.app_label}.{document.subject_type.model}", document.subject_id)
    if key == (Applicant._meta.label_lower, applicant.pk):
        return document
    if key[0] == EVENT_KEY:
        with unscoped():
            if RecruitmentEvent.objects.filter(pk=key[1], applicant_id=applicant.pk).exists():
                return document
    raise NotFound


def _void_out(event: RecruitmentEvent) -> dict[str, Any] | None:
    """The correction entry of a voided step (REC-VOID), None for a step that counts."""
    if not event.voided:
        return None
    void = event.void
    return {
        "reason": void.reason,
        "voided_by": void.voided_by.get_username() if void.voided_by_id else None,
        "voided_at": void.voided_at,
    }


def voidable_step(applicant: Applicant, events: list[RecruitmentEvent]) -> int | None:
    """The id of the step a correction entry may void (REC-VOID, `rules.check_void`): the latest step that
    still counts, unless it changed the member record; None for a closed dossier or one without steps."""
    standing = [e for e in events if not e.voided]
    if applicant.stage in rules.TERMINAL or not standing:
        return None
    last = standing[-1]
    if rules.moves_member(build_event(last.kind, last.on, last.payload, last.facts)):
        return None
    return last.pk


def dossier(*, scope: Scope, applicant: Applicant) -> dict[str, Any]:
    """The dossier as the API and the pages show it: stage, the steps, what may come next and when, and
    the documents (材料) of the dossier and its steps."""
    events = applicant_events(scope=scope, applicant=applicant)
    timeline = timeline_of(applicant, events)
    derived = rules.derived_dates(timeline)
    # The replay leaves voided steps out (REC-VOID): pair each step that counts with its replayed form.
    replayed = iter(timeline.events)
    step_of = {e.pk: None if e.voided else next(replayed) for e in events}
    steps = next_of(applicant, events, policy_for(applicant.org, timezone.localdate()))
    return {
        "id": applicant.pk,
        "org": applicant.org.code,
        "org_name": applicant.org.name,
        "name": applicant.name,
        "sex": applicant.sex,
        "birth_date": applicant.birth_date,
        "id_number": applicant.id_number_masked,
        "applied_on": applicant.applied_on,
        "stage": applicant.stage,
        "stage_label": str(Stage(applicant.stage).label),
        "member_id": applicant.member_id,
        "admitted_on": derived.admitted_on,
        "converted_on": derived.converted_on,
        "probation_ends_on": derived.probation_ends_on,
        "timeline": [
            {
                "id": e.pk,
                "event": e.kind,
                "label": str(EventKind(e.kind).label),
                "on": e.on,
                "payload": e.payload,
                # A vote's outcome (False: 未通过, a recorded fact that advanced nothing); None for other steps.
                "passed": (
                    step_of[e.pk].passed
                    if isinstance(step_of[e.pk], rules.BranchVote | rules.ConversionVote)
                    else None
                ),
                "warnings": e.warnings,
                # The person's name (User.__str__: display name, else the login name), as the audit history shows it.
                "recorded_by": str(e.recorded_by) if e.recorded_by_id else None,
                "recorded_at": e.recorded_at,
                "void": _void_out(e),
                # A vote recorded from the general meeting where it was taken (its roster came from there).
                "meeting": (e.facts or {}).get("meeting"),
            }
            for e in events
        ],
        "voidable_step": voidable_step(applicant, events),
        "next": [
            {
                "event": s.event,
                "label": str(EventKind(s.event).label),
                "earliest_on": s.earliest_on,
                "due_by": s.due_by,
                "requires": list(s.requires),
                "rule_id": s.rule_id,
            }
            for s in steps
        ],
        "documents": dossier_documents(scope=scope, applicant=applicant, events=events),
    }


def can_see_id_number(scope: Scope, applicant: Applicant) -> bool:
    """As for members: the roles that keep the records (members.selectors.can_see_id_number)."""
    return permissions.allows(scope, permissions.ID_NUMBER_VIEW, applicant.org.path)


def applicant_id_number(*, scope: Scope, applicant: Applicant) -> str:
    """The ID number in clear for the roles that need it, masked for everyone else."""
    if applicant.id_number_encrypted and can_see_id_number(scope, applicant):
        return crypto.decrypt(applicant.id_number_encrypted)
    return applicant.id_number_masked


def dossier_of_member(*, scope: Scope, member_id: int) -> Applicant | None:
    """The recruitment dossier that made `member_id` a member (a probationary member's road to conversion),
    for the member's own home page: the caller passes their own record's id. Stage and milestone dates only;
    the dossier page itself stays with the roles that read dossiers."""
    with unscoped():
        return Applicant.objects.unscoped_all().filter(member_id=member_id).order_by("-id").first()
