"""Input and output shapes of the orgs router. Choice fields accept the identifiers of orgs.choices."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from grassroots.core.filters import query_schema

from .choices import CommitteeRole, OrgKind, TermAdjustmentKind, UnitKind, UnitRelation
from .filters import OrgFilter

Kind = Literal[tuple(OrgKind.values)]
UnitKindValue = Literal[tuple(UnitKind.values)]
UnitRelationValue = Literal[tuple(UnitRelation.values)]
RoleValue = Literal[tuple(CommitteeRole.values)]
AdjustmentKindValue = Literal[tuple(TermAdjustmentKind.values)]


class OrgFields(Schema):
    """The editable fields of an org (orgs.services.EDITABLE_FIELDS besides name and kind)."""

    short_name: str = Field("", max_length=60)
    is_joint: bool = False
    unit_name: str = Field("", max_length=200)
    unit_kind: UnitKindValue = UnitKind.OTHER.value
    unit_relation: UnitRelationValue = UnitRelation.LEGAL_ENTITY.value
    phone: str = Field("", max_length=40)
    contact_name: str = Field("", max_length=60)
    founded_on: dt.date | None = None
    approved_by: str = Field("", max_length=200)
    secretary_vacant_since: dt.date | None = None


class OrgIn(OrgFields):
    parent: str | None = Field(None, description="Code of the parent org; empty for a top-level org")
    code: str = Field(..., max_length=32)
    name: str = Field(..., min_length=1, max_length=200)
    kind: Kind


class OrgPatchIn(Schema):
    """Only the fields sent are changed."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: Kind | None = None
    short_name: str | None = Field(None, max_length=60)
    is_joint: bool | None = None
    unit_name: str | None = Field(None, max_length=200)
    unit_kind: UnitKindValue | None = None
    unit_relation: UnitRelationValue | None = None
    phone: str | None = Field(None, max_length=40)
    contact_name: str | None = Field(None, max_length=60)
    founded_on: dt.date | None = None
    approved_by: str | None = Field(None, max_length=200)
    secretary_vacant_since: dt.date | None = None


class OrgMoveIn(Schema):
    parent: str = Field(..., description="Code of the new parent org")


# `GET /orgs` accepts exactly the filters of the tree pages (orgs.filters.OrgFilter).
OrgFilterIn = query_schema(OrgFilter, "OrgFilterIn")


class OrgSummaryOut(Schema):
    """An item of `GET /orgs` (paged: core.api_pages)."""

    code: str
    name: str
    kind: str
    depth: int
    ended_on: dt.date | None


class OrgWarningOut(Schema):
    rule_id: str
    message: str


class OrgOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    is_joint: bool
    unit_name: str
    unit_kind: str
    unit_relation: str
    phone: str
    contact_name: str
    founded_on: dt.date | None
    approved_by: str
    ended_on: dt.date | None
    secretary_vacant_since: dt.date | None
    parent: str | None = Field(None, description="Code of the parent org when the caller may see it")
    depth: int
    member_counts: dict[str, int] = Field(..., description="Members of the whole subtree by status")
    warnings: list[OrgWarningOut]


# --- the org policy (组织工作规则参数) ----------------------------------------------------------------------


class OrgPolicyQuery(Schema):
    on: dt.date | None = Field(None, description="The day (default: today)")


class OrgPolicyIn(Schema):
    """A new effective-dated org policy for the org's subtree. Values not given are those in force for the org
    on `effective_from` (services.policy_set); values outside their range answer 422 ORG-POLICY."""

    effective_from: dt.date
    note: str = Field("", max_length=200, description="The document it comes from (依据文件)")
    branch_term_years: int | None = Field(None, description="Branch and general branch committees, 2-3")
    village_term_years: int | None = Field(None, description="Village and community orgs, 3-5")
    committee_term_years: int | None = Field(None, description="Basic committees, 3-5")
    letter_valid_months: int | None = Field(None, description="Validity of an introduction letter, 1-6")


class OrgPolicyOut(Schema):
    """The org policy in force for `org` on `on`, and where it comes from: the org (`source_org`) that set it
    from `effective_from`, or `source` "defaults" (RULES.md) when no org on the path set one."""

    org: str
    org_name: str
    on: dt.date
    source: Literal["org", "defaults"]
    source_org: str | None
    effective_from: dt.date | None
    note: str
    branch_term_years: int
    village_term_years: int
    committee_term_years: int
    letter_valid_months: int


# --- committees: elections and their term (ORG-TERM) ----------------------------------------------------------


class PostIn(Schema):
    member_id: int
    role: RoleValue


class ElectionIn(Schema):
    """An election (换届). The term is the org policy's (ORG-TERM); `term_years`, if sent, must equal it."""

    elected_on: dt.date
    term_years: int | None = None
    posts: list[PostIn] = Field(..., description="At least one post (ORG-COMMITTEE-7)")


class TermAdjustmentIn(Schema):
    """The upper organization's approval to postpone or advance the election, by at most one year (ORG-TERM)."""

    kind: AdjustmentKindValue
    due_on: dt.date = Field(..., description="The day the election is now due")
    approved_by: str = Field(..., max_length=200, description="The approving upper organization")
    document_number: str = Field(..., max_length=100, description="The approval's document number (文号)")
    approved_on: dt.date
    reason: str = Field("", max_length=200)


class TermAdjustmentOut(Schema):
    kind: str
    due_on: dt.date
    previous_due_on: dt.date
    approved_by: str
    document_number: str
    approved_on: dt.date
    reason: str


class PostOut(Schema):
    member_id: int
    role: str


class CommitteeOut(Schema):
    """The current committee: its term (`term_ends_on` by the policy), the day its election is due after any
    approved postponement or advancement (`due_on`), its posts and the approvals."""

    org: str
    elected_on: dt.date
    term_years: int
    term_ends_on: dt.date
    due_on: dt.date
    posts: list[PostOut]
    adjustments: list[TermAdjustmentOut]


# --- units (a joint branch's 联合单位) ---------------------------------------------------------------------------


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit_kind: UnitKindValue
    credit_code: str = Field("", max_length=18)
    staff_count: int | None = Field(None, ge=0)
    is_legal_entity: bool = True
    valid_from: dt.date | None = Field(None, description="Covered from this day (empty: from the start)")
    valid_until: dt.date | None = Field(None, description="Covered up to this day (empty: open)")


class UnitEndIn(Schema):
    valid_until: dt.date = Field(..., description="The last day the org covers the unit")


class UnitOut(Schema):
    id: int
    name: str
    unit_kind: str
    credit_code: str
    staff_count: int | None
    is_legal_entity: bool
    valid_from: dt.date | None
    valid_until: dt.date | None
