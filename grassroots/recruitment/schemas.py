"""Input and output shapes of the recruitment router (issue 3: the names are part of the contract).

A step is posted as {event, on, ...its fields}: the fields each step takes are those of its event in
`rules.EVENT_TYPES` (vote counts flat, with an optional attendance `roster`; mentors and sponsors as member
ids). The service refuses fields that
do not belong to the step, and missing ones, with rule_id "API-VALIDATION".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from grassroots.core.filters import query_schema
from grassroots.members.choices import Education, Occupation, Sex

from . import filters
from .choices import (
    ActivistSource,
    Decider,
    DossierDocumentKind,
    EventKind,
    ProbationOutcome,
    Stage,
    VoteExclusionReason,
    VoteOpinion,
)

SexValue = Literal[tuple(Sex.values)]
StageValue = Literal[tuple(Stage.values)]
EventValue = Literal[tuple(EventKind.values)]
EducationValue = Literal[tuple(Education.values)] | Literal[""]
OccupationValue = Literal[tuple(Occupation.values)] | Literal[""]
SourceValue = Literal[tuple(ActivistSource.values)]
DeciderValue = Literal[tuple(Decider.values)]
OutcomeValue = Literal[tuple(ProbationOutcome.values)]
ExclusionValue = Literal[tuple(VoteExclusionReason.values)]
OpinionValue = Literal[tuple(VoteOpinion.values)]
DocumentKindValue = Literal[tuple(DossierDocumentKind.values)]


class ApplicantIn(Schema):
    org: str = Field(..., description="Code of the branch (党支部) the person applied to")
    name: str = Field(..., min_length=1, max_length=60)
    sex: SexValue
    birth_date: dt.date
    id_number: str = Field(..., max_length=32)
    applied_on: dt.date = Field(..., description="Date of the written application (入党申请书)")
    education: EducationValue = ""
    occupation: OccupationValue = ""


# The dossier list's query: the ledger page's filterset (filters.ApplicantFilter), so both take the same.
ApplicantFilterIn = query_schema(filters.ApplicantFilter, "ApplicantFilterIn")


class ExclusionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int
    reason: ExclusionValue
    note: str = Field("", max_length=200, description="Required when reason is other")


class WrittenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int
    opinion: OpinionValue


class RosterIn(Schema):
    """Who was called to a vote (REC-VOTERS-FULL). The server lists the electorate itself: the branch's full
    members on the vote date; those under 留党察看 are excluded whether listed or not. Votes stay secret:
    only yes / no / abstain counts are recorded."""

    model_config = ConfigDict(extra="forbid")

    excluded: list[ExclusionIn] = Field(default_factory=list, description="Not counted as should attend")
    present: list[int] = Field(default_factory=list, description="Member ids present at the meeting")
    written: list[WrittenIn] = Field(default_factory=list, description="Written opinions of absent members")


class EventIn(Schema):
    """One step. Send only the fields of the step named by `event`."""

    model_config = ConfigDict(extra="forbid")

    event: EventValue
    on: dt.date
    # activist_designated
    source: SourceValue | None = None
    decided_by: DeciderValue | None = None
    filed_with_upper: bool | None = None
    # mentors_assigned / sponsors_assigned: member ids
    mentors: list[int] | None = None
    sponsors: list[int] | None = None
    # political_review / pre_review
    passed: bool | None = None
    # training_completed
    days: int | None = None
    hours: int | None = None
    # public_notice
    start_on: dt.date | None = None
    working_days: int | None = None
    # branch_vote / conversion_vote
    should_attend: int | None = None
    present: int | None = None
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    written_yes: int | None = None
    candidates: int | None = None
    roster: RosterIn | None = Field(
        None, description="Attendance; should_attend, present and written_yes are then derived from it"
    )
    outcome: OutcomeValue | None = None
    meeting: int | None = Field(
        None,
        ge=1,
        le=2**62,
        description="The general meeting where the vote was taken: who was present comes from its attendance",
    )
    # approval / conversion_approval / probation_extended / probation_cancelled
    approved: bool | None = None
    reason: str | None = Field(None, max_length=500)
    months: int | None = None


class VoidOut(Schema):
    """The correction entry that voided a step (REC-VOID): who, when, why."""

    reason: str
    voided_by: str | None
    voided_at: dt.datetime


class StepOut(Schema):
    id: int
    event: str
    label: str
    on: dt.date
    payload: dict[str, Any]
    passed: bool | None = Field(None, description="A vote's outcome (false: 未通过); null for other steps")
    warnings: list[dict[str, Any]]
    recorded_by: str | None
    recorded_at: dt.datetime
    void: VoidOut | None = Field(None, description="Set when the step was voided: it no longer counts")
    meeting: int | None = Field(None, description="A vote recorded from this general meeting (its id)")


class VoidIn(Schema):
    """Void a wrongly recorded step (REC-VOID): the reason is required."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=200)


class NextOut(Schema):
    event: str
    label: str
    earliest_on: dt.date
    due_by: dt.date | None
    requires: list[str]


class DocumentOut(Schema):
    """A document (材料) of the dossier (`event_id` None) or of one of its steps. Withdrawn documents stay
    listed with `withdrawn` true. `sha256` is checked whenever `url` is downloaded."""

    id: int
    kind: str
    kind_label: str
    title: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    event_id: int | None
    uploaded_by: str | None
    uploaded_at: dt.datetime
    withdrawn: bool
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str
    url: str


class DocumentListOut(Schema):
    items: list[DocumentOut]
    count: int


class DossierOut(Schema):
    id: int
    org: str
    org_name: str
    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    applied_on: dt.date
    stage: str
    stage_label: str
    member_id: int | None
    admitted_on: dt.date | None
    converted_on: dt.date | None
    probation_ends_on: dt.date | None
    timeline: list[StepOut]
    voidable_step: int | None = Field(
        None,
        description="The id of the step a correction may void (REC-VOID), if any: the latest that counts",
    )
    next: list[NextOut]
    documents: list[DocumentOut]


class ApplicantItemOut(Schema):
    """A dossier in the list (GET /applicants, paged): `org` is the code of its branch."""

    id: int
    name: str
    sex: str
    org: str
    org_name: str
    applied_on: dt.date
    stage: str
    member_id: int | None

    @staticmethod
    def resolve_org(applicant) -> str:
        return applicant.org.code

    @staticmethod
    def resolve_org_name(applicant) -> str:
        return applicant.org.name


class PolicyFilter(Schema):
    org: str = Field(..., description="Code of the org whose policy is asked for")
    on: dt.date | None = Field(None, description="The day (default: today)")


class PolicyIn(Schema):
    """A new effective-dated policy for the subtree of `org`. Values not given are those in force for the org
    on `effective_from` (services.policy_set); out-of-range values answer 422 REC-POLICY."""

    model_config = ConfigDict(extra="forbid")

    org: str = Field(..., description="Code of the org whose subtree the policy governs")
    effective_from: dt.date
    note: str = Field("", max_length=200, description="The document it comes from (依据文件)")
    activist_wait_months: int | None = None
    training_days: int | None = None
    training_hours: int | None = None
    notice_working_days: int | None = None
    notice_before: list[str] | None = Field(None, description="Steps that need a public notice first")
    extension_min_months: int | None = None
    extension_max_months: int | None = None
    approval_warn_months: int | None = None
    approval_block_months: int | None = None
    conversion_vote_grace_months: int | None = None


class PolicyOut(Schema):
    """The policy in force for `org` on `on`, and where it comes from: the org (`source_org`) that set it from
    `effective_from`, or `source` "defaults" (RULES.md) when no org on the path set one."""

    org: str
    org_name: str
    on: dt.date
    source: Literal["org", "defaults"]
    source_org: str | None
    source_org_name: str | None
    effective_from: dt.date | None
    note: str
    activist_wait_months: int
    training_days: int
    training_hours: int
    notice_working_days: int
    notice_before: list[str]
    extension_min_months: int
    extension_max_months: int
    approval_warn_months: int
    approval_block_months: int
    conversion_vote_grace_months: int
