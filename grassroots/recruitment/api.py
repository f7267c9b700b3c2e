"""The recruitment router (发展党员): dossiers and their steps.

No `from __future__ import annotations` here: ninja's `@paginated` reads the operation's parameter types
when it wraps the function, so they must be real types, not strings."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS
from grassroots.core.id_search import SearchHeader, api_data
from grassroots.members import disclosures
from grassroots.orgs import selectors as org_selectors

from . import selectors, services
from .filters import ApplicantFilter
from .schemas import (
    ApplicantFilterIn,
    ApplicantIn,
    ApplicantItemOut,
    DocumentKindValue,
    DocumentListOut,
    DocumentOut,
    DossierOut,
    EventIn,
    PolicyFilter,
    PolicyIn,
    PolicyOut,
    VoidIn,
)

router = Router(tags=["recruitment"])


@router.get("/applicants", response={200: list[ApplicantItemOut], **ERRORS})
@paginated
def applicant_list(request: HttpRequest, filters: Query[ApplicantFilterIn], search: SearchHeader = None):
    """Dossiers the caller may read, in the subtree of `org` if given, at `stage` if given, matching `q` (name,
    pinyin, initials or an exact ID number), admitted in `year` if given, sorted by pinyin — the ledger page's
    filters (filters.ApplicantFilter); a page at a time (`?page=&page_size=`, at most 200): {items, count,
    page, page_size, next}. A search by ID number is an audited event; a whole number goes in the X-Search
    header, never in `?q=` (422 API-ID-SEARCH)."""
    who = caller(request)
    ledger_filter = ApplicantFilter(api_data(filters, search), scope=who.scope)
    disclosures.id_search_record(
        scope=who.scope,
        actor=who.user,
        q=ledger_filter.value("q") or "",
        where="recruitment",
        org=ledger_filter.org,
    )
    return ledger_filter.qs


@router.get("/applicants/{applicant_id}", response={200: DossierOut, **ERRORS})
def applicant_detail(request: HttpRequest, applicant_id: int):
    """A dossier: stage, the recorded steps and what may come next, from when and by when."""
    scope = caller(request).scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=applicant_id)
    return selectors.dossier(scope=scope, applicant=applicant)


@router.post("/applicants", response={201: DossierOut, **ERRORS})
def applicant_create(request: HttpRequest, payload: ApplicantIn):
    """Open a dossier for someone who applied in writing (REC-AGE-18, MEM-ID-NUMBER)."""
    who = caller(request)
    data = payload.model_dump()
    org = org_selectors.org_get(scope=who.scope, code=data.pop("org"))
    applicant = services.applicant_create(scope=who.scope, actor=who.user, org=org, **data)
    return Status(201, selectors.dossier(scope=who.scope, applicant=applicant))


@router.post("/applicants/{applicant_id}/events", response={200: DossierOut, **ERRORS})
def event_record(request: HttpRequest, applicant_id: int, payload: EventIn):
    """Record one step; 422 with the rule it breaks (and nothing saved) when the rules refuse it."""
    who = caller(request)
    applicant = selectors.applicant_get(scope=who.scope, applicant_id=applicant_id)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    kind, on = data.pop("event"), data.pop("on")
    row = services.event_record(
        scope=who.scope, actor=who.user, applicant=applicant, kind=kind, on=on, payload=data
    )
    # The dossier as the service left it (its row re-read under lock, stage and member updated).
    return selectors.dossier(scope=who.scope, applicant=row.applicant)


@router.post("/applicants/{applicant_id}/events/{event_id}/void", response={200: DossierOut, **ERRORS})
def event_void(request: HttpRequest, applicant_id: int, event_id: int, payload: VoidIn):
    """Void a wrongly recorded step with a reason (REC-VOID): a correction entry beside the original, which
    then no longer counts. Only the latest step that still counts (void later ones first), and not a step
    that changed the member record; 422 with the rule (and nothing saved) otherwise. The roles that record
    steps may void them."""
    who = caller(request)
    applicant = selectors.applicant_get(scope=who.scope, applicant_id=applicant_id)
    event = selectors.applicant_event_get(scope=who.scope, applicant=applicant, event_id=event_id)
    void = services.event_void(
        scope=who.scope, actor=who.user, applicant=applicant, event=event, reason=payload.reason
    )
    # The dossier as the service left it (its row re-read under lock, stage and next steps recomputed).
    return selectors.dossier(scope=who.scope, applicant=void.event.applicant)


def _policy_out(org, on: dt.date) -> dict:
    row = selectors.policy_row(org, on)
    policy = selectors.policy_of_row(row)
    return {
        "org": org.code,
        "org_name": org.name,
        "on": on,
        "source": "org" if row else "defaults",
        "source_org": row.org.code if row else None,
        "source_org_name": row.org.name if row else None,
        "effective_from": row.effective_from if row else None,
        "note": row.note if row else "",
        **selectors.policy_values(policy),
    }


@router.get("/policy", response={200: PolicyOut, **ERRORS})
def policy_get(request: HttpRequest, filters: Query[PolicyFilter]):
    """The recruitment policy in force for `org` on `on` (default today) and where it comes from."""
    scope = caller(request).scope
    org = org_selectors.org_get(scope=scope, code=filters.org)
    return _policy_out(org, filters.on or timezone.localdate())


@router.post("/policy", response={201: PolicyOut, **ERRORS})
def policy_set(request: HttpRequest, payload: PolicyIn):
    """Set the policy of `org`'s subtree from `effective_from` (org admins of `org`; REC-POLICY on bad
    values). Answers the policy then in force for `org`."""
    who = caller(request)
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    org = org_selectors.org_get(scope=who.scope, code=data.pop("org"))
    effective_from = data.pop("effective_from")
    services.policy_set(scope=who.scope, actor=who.user, org=org, effective_from=effective_from, **data)
    return Status(201, _policy_out(org, effective_from))


@router.get("/applicants/{applicant_id}/documents", response={200: DocumentListOut, **ERRORS})
def document_list(request: HttpRequest, applicant_id: int):
    """The documents (材料) of a dossier and of its steps, oldest first; withdrawn ones marked."""
    scope = caller(request).scope
    applicant = selectors.applicant_get(scope=scope, applicant_id=applicant_id)
    items = selectors.dossier_documents(scope=scope, applicant=applicant)
    return {"items": items, "count": len(items)}


@router.post("/applicants/{applicant_id}/documents", response={201: DocumentOut, **ERRORS})
def document_attach(
    request: HttpRequest,
    applicant_id: int,
    file: File[UploadedFile],
    kind: Form[DocumentKindValue],
    title: Form[str] = "",
    event_id: Form[int | None] = None,
):
    """Upload a document (multipart) to the dossier, or to one of its steps with `event_id`. 422 with
    DOC-TYPE (type not allowed, or content not matching the extension), DOC-SIZE or DOC-EMPTY."""
    who = caller(request)
    applicant = selectors.applicant_get(scope=who.scope, applicant_id=applicant_id)
    event = (
        selectors.applicant_event_get(scope=who.scope, applicant=applicant, event_id=event_id)
        if event_id is not None
        else None
    )
    document = services.dossier_document_attach(
        scope=who.scope, actor=who.user, applicant=applicant, kind=kind, title=title, file=file, event=event
    )
    return Status(201, selectors.document_out(document))
