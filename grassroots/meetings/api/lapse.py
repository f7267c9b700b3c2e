"""The lapse watch: `GET /meetings/lapse?org=&level=` (paginated), MEM-LAPSE-6M."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS
from grassroots.orgs import selectors as org_selectors

from .. import lapse as lapse_selectors
from . import router


class LapseFilterIn(Schema):
    org: str = Field(..., max_length=32, description="Code of the org whose subtree is watched")
    level: Literal["lapse", "warn"] | None = Field(None, description="Only members at this level or above")


class MissedOut(Schema):
    meeting: int
    org_name: str
    kind: str
    topic: str
    held_on: dt.date


class LapseOut(Schema):
    member: int
    name: str
    org: str
    streak: int = Field(..., description="Consecutive months missed (months without a meeting not counted)")
    since: dt.date | None
    months: list[dt.date]
    level: str = Field(..., description='"lapse", "warn" or "none" (below the warning)')
    source: str
    missed: list[MissedOut]

    @staticmethod
    def resolve_member(row) -> int:
        return row.member_id

    @staticmethod
    def resolve_name(row) -> str:
        return row.person.name

    @staticmethod
    def resolve_org(row) -> str:
        return row.person.org_code

    @staticmethod
    def resolve_missed(row) -> list[dict]:
        return [
            {
                "meeting": m.meeting_id,
                "org_name": m.org_name,
                "kind": m.kind,
                "topic": m.topic,
                "held_on": m.held_on,
            }
            for m in row.evidence
        ]


@router.get("/lapse", response={200: list[LapseOut], **ERRORS})
@paginated
def lapse_list(request: HttpRequest, filters: Query[LapseFilterIn]):
    """Members of `org`'s subtree with a current streak of months without organizational life, the lapse
    level first, each with the finalized meetings missed."""
    scope = caller(request).scope
    org = org_selectors.org_get(scope=scope, code=filters.org)
    return lapse_selectors.lapse_watch(scope=scope, org=org, today=timezone.localdate(), level=filters.level)
