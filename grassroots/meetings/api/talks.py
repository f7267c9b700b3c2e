"""Heart-to-heart talks: `POST /meetings/talks`, `GET /meetings/talks?org=&year=` (paginated)."""

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from pydantic import ConfigDict

from grassroots.core.api_auth import caller
from grassroots.core.api_pages import paginated
from grassroots.core.api_schemas import ERRORS
from grassroots.core.filters import bound, query_schema
from grassroots.orgs import selectors as org_selectors

from .. import selectors, services
from ..filters import TalkFilter
from . import router

TalkFilterIn = query_schema(TalkFilter, "TalkFilterIn")


class TalkIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org: str = Field(..., max_length=32, description="Code of the org whose committee held the talk")
    held_on: dt.date
    initiator: int = Field(..., description="Id of the member holding a committee post who talked")
    counterpart: int = Field(..., description="Id of the member talked with")
    topic: str = Field(..., max_length=200)
    summary: str = Field("", max_length=5000)


class TalkOut(Schema):
    id: int
    org: str
    held_on: dt.date
    initiator: int
    initiator_name: str
    counterpart: int
    counterpart_name: str
    topic: str
    summary: str

    @staticmethod
    def resolve_org(talk) -> str:
        return talk.org.code

    @staticmethod
    def resolve_initiator(talk) -> int:
        return talk.initiator_id

    @staticmethod
    def resolve_initiator_name(talk) -> str:
        return talk.initiator.name

    @staticmethod
    def resolve_counterpart(talk) -> int:
        return talk.counterpart_id

    @staticmethod
    def resolve_counterpart_name(talk) -> str:
        return talk.counterpart.name


@router.post("/talks", response={201: TalkOut, **ERRORS})
def talk_record(request: HttpRequest, payload: TalkIn):
    """Record a talk (MTG-TALK-Y: the initiator holds a post on the org's committee that day)."""
    who = caller(request)
    org = org_selectors.org_get(scope=who.scope, code=payload.org, roles=selectors.MEETING_EDIT)
    talk = services.talk_record(
        scope=who.scope,
        actor=who.user,
        org=org,
        held_on=payload.held_on,
        initiator=selectors.member_in(scope=who.scope, org=org, member_id=payload.initiator),
        counterpart=selectors.member_in(scope=who.scope, org=org, member_id=payload.counterpart),
        topic=payload.topic,
        summary=payload.summary,
    )
    return Status(201, talk)


@router.get("/talks", response={200: list[TalkOut], **ERRORS})
@paginated
def talk_list(request: HttpRequest, filters: Query[TalkFilterIn]):
    """The talks of `org`'s subtree (the caller's whole scope without it), of `year`, newest first."""
    return TalkFilter(bound(filters), scope=caller(request).scope).qs
