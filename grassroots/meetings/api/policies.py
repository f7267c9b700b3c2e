"""The meeting policy of an org: `GET/POST /meetings/policy/{code}` (MTG-POLICY)."""

import dataclasses
import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS
from grassroots.orgs import selectors as org_selectors

from .. import selectors, services
from . import router


class MeetingPolicyIn(Schema):
    """A new effective-dated policy for the subtree of the org. Values not given are those in force for the
    org on `effective_from`; out-of-range values answer 422 MTG-POLICY."""

    model_config = ConfigDict(extra="forbid")

    effective_from: dt.date
    note: str = Field("", max_length=200, description="The document it comes from (依据文件)")
    lectures_per_quarter: int | None = None
    minutes_late_days: int | None = None
    sign_in_opens_before_minutes: int | None = None
    sign_in_closes_after_minutes: int | None = None
    code_step_seconds: int | None = None
    lapse_warn_months: int | None = None
    lapse_months: int | None = None


class MeetingPolicyOut(Schema):
    """The policy in force for `org` on `on`, and where it comes from (`source_org`, or "defaults")."""

    org: str
    on: dt.date
    source: Literal["org", "defaults"]
    source_org: str | None
    effective_from: dt.date | None
    note: str
    lectures_per_quarter: int
    minutes_late_days: int
    sign_in_opens_before_minutes: int
    sign_in_closes_after_minutes: int
    code_step_seconds: int
    lapse_warn_months: int
    lapse_months: int


def _policy_out(org, on: dt.date) -> dict:
    row = selectors.policy_row(org, on)
    return {
        "org": org.code,
        "on": on,
        "source": "org" if row else "defaults",
        "source_org": row.org.code if row else None,
        "effective_from": row.effective_from if row else None,
        "note": row.note if row else "",
        **dataclasses.asdict(selectors.policy_of_row(row)),
    }


@router.get("/policy/{code}", response={200: MeetingPolicyOut, **ERRORS})
def policy_get(request: HttpRequest, code: str, on: dt.date | None = None):
    """The meeting policy in force for the org on `on` (default today) and where it comes from."""
    org = org_selectors.org_get(scope=caller(request).scope, code=code)
    return _policy_out(org, on or timezone.localdate())


@router.post("/policy/{code}", response={201: MeetingPolicyOut, **ERRORS})
def policy_set(request: HttpRequest, code: str, payload: MeetingPolicyIn):
    """Set the meeting policy of the org's subtree from `effective_from` (org admins of the org)."""
    who = caller(request)
    org = org_selectors.org_get(scope=who.scope, code=code)
    data = {k: v for k, v in payload.model_dump().items() if v is not None}
    effective_from = data.pop("effective_from")
    services.policy_set(scope=who.scope, actor=who.user, org=org, effective_from=effective_from, **data)
    return Status(201, _policy_out(org, effective_from))
