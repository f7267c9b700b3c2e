"""The orgs router: browse the tree within the caller's scope, create, edit and move orgs."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from grassroots.core import permissions
from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS, patch_data
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.filters import bound
from grassroots.core.scoping import Scope

from . import registry, selectors, services
from .filters import OrgFilter
from .models import Org
from .schemas import (
    CommitteeOut,
    ElectionIn,
    OrgFilterIn,
    OrgIn,
    OrgMoveIn,
    OrgOut,
    OrgPatchIn,
    OrgPolicyIn,
    OrgPolicyOut,
    OrgPolicyQuery,
    OrgSummaryOut,
    TermAdjustmentIn,
    UnitEndIn,
    UnitIn,
    UnitOut,
)

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


def _policy_out(org: Org, on) -> dict:
    row = selectors.policy_row(org, on)
    return {
        "org": org.code,
        "org_name": org.name,
        "on": on,
        "source": "org" if row else "defaults",
        "source_org": row.org.code if row else None,
        "effective_from": row.effective_from if row else None,
        "note": row.note if row else "",
        **selectors.policy_values(selectors.policy_of_row(row)),
    }


@router.get("/{code}/policy", response={200: OrgPolicyOut, **ERRORS})
def policy_get(request: HttpRequest, code: str, filters: Query[OrgPolicyQuery]):
    """The org policy (committee terms, ORG-TERM; letter validity, MEM-TRANSFER-LETTER) in force for the org
    on `on` (default today) and where it comes from."""
    org = selectors.org_get(scope=caller(request).scope, code=code)
    return _policy_out(org, filters.on or timezone.localdate())


@router.post("/{code}/policy", response={201: OrgPolicyOut, **ERRORS})
def policy_set(request: HttpRequest, code: str, payload: OrgPolicyIn):
    """Set the org policy of the org's subtree from `effective_from` (org admins of the org; ORG-POLICY on
    values outside their range). Answers the policy then in force for the org."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code)
    data = payload.model_dump()
    effective_from = data.pop("effective_from")
    services.policy_set(scope=who.scope, actor=who.user, org=org, effective_from=effective_from, **data)
    return Status(201, _policy_out(org, effective_from))


def _committee_out(scope: Scope, org: Org) -> dict:
    committee = selectors.current_committee(scope=scope, org=org)
    if committee is None:
        raise NotFound
    return {
        "org": org.code,
        "elected_on": committee.elected_on,
        "term_years": committee.term_years,
        "term_ends_on": committee.term_ends_on,
        "due_on": committee.due_on or committee.term_ends_on,
        "posts": [
            {"member_id": p.member_id, "role": p.role}
            for p in selectors.committee_posts(scope=scope, committee=committee)
        ],
        "adjustments": selectors.term_adjustments(scope=scope, committee=committee),
    }


@router.post("/{code}/elections", response={201: CommitteeOut, **ERRORS})
def committee_elect(request: HttpRequest, code: str, payload: ElectionIn):
    """Record an election (换届): a new committee with its posts, for the term the org policy sets on the
    election day (ORG-TERM). Posts go to members of the org's subtree (ORG-COMMITTEE-7)."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code, roles=permissions.ORG_EDIT)
    chosen = registry.committee_candidates().chosen(scope=who.scope, ids=[p.member_id for p in payload.posts])
    missing = [p.member_id for p in payload.posts if p.member_id not in chosen]
    if missing:
        raise RuleViolation(
            "ORG-COMMITTEE-7", _("找不到党员 %(id)s（ORG-COMMITTEE-7）") % {"id": missing[0]}, field="posts"
        )
    services.committee_elect(
        scope=who.scope,
        actor=who.user,
        org=org,
        elected_on=payload.elected_on,
        term_years=payload.term_years,
        posts=[(chosen[p.member_id], p.role) for p in payload.posts],
    )
    return Status(201, _committee_out(who.scope, org))


@router.post("/{code}/committee/term-adjustments", response={201: CommitteeOut, **ERRORS})
def committee_term_adjust(request: HttpRequest, code: str, payload: TermAdjustmentIn):
    """Record the upper organization's approval to postpone or advance the current committee's election (延期
    / 提前换届): at most one year from the end of the term (ORG-TERM). Answers the committee with its new
    `due_on`."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code, roles=permissions.ORG_EDIT)
    services.committee_term_adjust(scope=who.scope, actor=who.user, org=org, **payload.model_dump())
    return Status(201, _committee_out(who.scope, org))


@router.get("/{code}/units", response={200: list[UnitOut], **ERRORS})
@paginated
def unit_list(request: HttpRequest, code: str):
    """The units the org covers or covered (a joint branch's 联合单位), the current ones first; paged."""
    scope = caller(request).scope
    return selectors.org_units(scope=scope, org=selectors.org_get(scope=scope, code=code))


@router.post("/{code}/units", response={201: UnitOut, **ERRORS})
def unit_add(request: HttpRequest, code: str, payload: UnitIn):
    """Add a unit the org covers, with its validity dates (ORG-BRANCH-MIN-3: a joint branch covers at most
    five units on any day; only a branch is joint)."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code, roles=permissions.ORG_EDIT)
    unit = services.org_unit_add(scope=who.scope, actor=who.user, org=org, **payload.model_dump())
    return Status(201, unit)


@router.post("/{code}/units/{unit_id}/end", response={200: UnitOut, **ERRORS})
def unit_end(request: HttpRequest, code: str, unit_id: int, payload: UnitEndIn):
    """A unit leaves the org: covered up to `valid_until` (inclusive); the record stays."""
    who = caller(request)
    org = selectors.org_get(scope=who.scope, code=code)
    unit = selectors.org_unit_get(scope=who.scope, org=org, unit_id=unit_id, roles=permissions.ORG_EDIT)
    return services.org_unit_end(scope=who.scope, actor=who.user, unit=unit, valid_until=payload.valid_until)
