"""Input and output shapes of the recruitment router (issue 3: the names are part of the contract).

A step is posted as {event, on, ...its fields}: the fields each step takes are those of its event in
`rules.EVENT_TYPES` (vote counts flat; mentors and sponsors as member ids). The service refuses fields that
do not belong to the step, and missing ones, with rule_id "API-VALIDATION".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from grassroots.members.choices import Education, Occupation, Sex

from .choices import ActivistSource, Decider, DossierDocumentKind, EventKind, ProbationOutcome, Stage

SexValue = Literal[tuple(Sex.values)]
StageValue = Literal[tuple(Stage.values)]
EventValue = Literal[tuple(EventKind.values)]
EducationValue = Literal[tuple(Education.values)] | Literal[""]
OccupationValue = Literal[tuple(Occupation.values)] | Literal[""]
SourceValue = Literal[tuple(ActivistSource.values)]
DeciderValue = Literal[tuple(Decider.values)]
OutcomeValue = Literal[tuple(ProbationOutcome.values)]
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


class ApplicantFilter(Schema):
    org: str | None = Field(None, description="Code of an org: its whole subtree")
    stage: StageValue | None = None


class EventIn(Schema):
    """One step. Send only the fields of the step named by `event`."""

    model_config = ConfigDict(extra="forbid")

    event: EventValue
    on: dt.date
    # activist_designated
    source: SourceValue | None = None
    decided_by: DeciderValue | None = None
    branch_has_committee: bool | None = None
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
    outcome: OutcomeValue | None = None
    # approval / conversion_approval / probation_extended / probation_cancelled
    approved: bool | None = None
    reason: str | None = Field(None, max_length=500)
    months: int | None = None


class StepOut(Schema):
    id: int
    event: str
    label: str
    on: dt.date
    payload: dict[str, Any]
    warnings: list[dict[str, Any]]
    recorded_by: str | None
    recorded_at: dt.datetime


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
    next: list[NextOut]
    documents: list[DocumentOut]


class ApplicantItemOut(Schema):
    id: int
    name: str
    sex: str
    org: str
    org_name: str
    applied_on: dt.date
    stage: str
    member_id: int | None


class ApplicantListOut(Schema):
    items: list[ApplicantItemOut]
    count: int
