"""The orgs router: browse the tree within the caller's scope, create, edit and move orgs."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS, patch_data
from grassroots.core.filters import bound
from grassroots.core.scoping import Scope

from . import selectors, services
from .filters import OrgFilter
from .models import Org
from .schemas import OrgFilterIn, OrgIn, OrgMoveIn, OrgOut, OrgPatchIn, OrgSummaryOut

router = Router(tags=["orgs"])

# Fields that may be cleared with an explicit null in a PATCH; the others ignore a null.
NULLABLE_FIELDS = {"founded_on", "secretary_vacant_since"}
ORG_OUT_FIELDS = ["code", "depth", "ended_on", *services.EDITABLE_FIELDS]


def org_out(scope: Scope, org: Org) -> dict:
    """The detail shape: the org's fields, its parent's code if visible, subtree counts and warnings."""
    ancestors = selectors.org_ancestors(scope=scope, org=org)
    parent = ancestors[-1].code if ancestors and ancestors[-1].depth == org.depth - 1 else None
    warnings = selectors.org_warnings(scope=scope, org=org, on=timezone.localdate())
    return {
        **{f: getattr(org, f) for f in ORG_OUT_FIELDS},
        "parent": parent,
        "member_counts": selectors.subtree_member_counts(scope=scope, org=org),
        "warnings": [{"rule_id": w.rule_id, "message": str(w.message)} for w in warnings],
    }


@router.get("", response={200: list[OrgSummaryOut], **ERRORS})
@paginated
def org_list(request: HttpRequest, filters: Query[OrgFilterIn]):
    """The top-level orgs of the caller's scope, or the children of `?parent=CODE` (the tree page's levels);
    paged."""
    return OrgFilter(bound(filters), scope=caller(request).scope).qs


@router.get("/{code}", response={200: OrgOut, **ERRORS})
def org_detail(request: HttpRequest, code: str):
    scope = caller(request).scope
    return org_out(scope, selectors.org_get(scope=scope, code=code))


@router.post("", response={201: OrgOut, **ERRORS})
def org_create(request: HttpRequest, payload: OrgIn):
    who = caller(request)
    data = payload.model_dump()
    parent_code = data.pop("parent")
    parent = selectors.org_get(scope=who.scope, code=parent_code) if parent_code else None
    org = services.org_create(scope=who.scope, actor=who.user, parent=parent, **data)
    return Status(201, org_out(who.scope, org))


@router.patch("/{code}", response={200: OrgOut, **ERRORS})
def org_update(request: HttpRequest, code: str, payload: OrgPatchIn):
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code)
    fields = patch_data(payload, nullable=NULLABLE_FIELDS)
    org = services.org_update(scope=who.scope, actor=who.user, org=org, **fields)
    return org_out(who.scope, org)


@router.post("/{code}/move", response={200: OrgOut, **ERRORS})
def org_move(request: HttpRequest, code: str, payload: OrgMoveIn):
    """Move the org and its whole subtree under another org."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code)
    new_parent = selectors.org_get(scope=who.scope, code=payload.parent)
    moved = services.org_move(scope=who.scope, actor=who.user, org=org, new_parent=new_parent)
    return org_out(who.scope, moved)
