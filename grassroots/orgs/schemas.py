"""Input and output shapes of the orgs router. Choice fields accept the identifiers of orgs.choices."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from grassroots.core.filters import query_schema

from .choices import OrgKind, UnitKind, UnitRelation
from .filters import OrgFilter

Kind = Literal[tuple(OrgKind.values)]
UnitKindValue = Literal[tuple(UnitKind.values)]
UnitRelationValue = Literal[tuple(UnitRelation.values)]


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
