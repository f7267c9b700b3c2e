"""The steps of a dossier as values: one event type per `EventKind`, their payload fields, and the `Timeline`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import ClassVar

from grassroots.core.workdays import WorkdayCalendar, WorkdayPeriod, workday_period_end

from ..choices import (
    Decider,
    EventKind,
    ProbationOutcome,
)
from .base import MemberFacts
from .votes import VoteCounts, VoteRoster, vote_passed

# Fields of a step that the server derives from its records on the step's date and freezes in the step's
# `facts`; never part of a payload (the caller does not supply them): whether the branch had a committee
# (REC-ACTIVIST-SOURCE), the electorate of a vote recorded by counts only (REC-VOTERS-FULL) and the sponsors
# as they stood on the day of the branch vote (REC-SPONSORS).
FACT_FIELDS = frozenset({"branch_has_committee", "electorate", "sponsors_at_vote"})


@dataclass(frozen=True, kw_only=True)
class Event:
    kind: ClassVar[str]
    on: dt.date


@dataclass(frozen=True, kw_only=True)
class Talk(Event):
    kind: ClassVar[str] = EventKind.TALK


@dataclass(frozen=True, kw_only=True)
class ActivistDesignated(Event):
    kind: ClassVar[str] = EventKind.ACTIVIST_DESIGNATED
    source: str
    decided_by: str = Decider.BRANCH_COMMITTEE
    branch_has_committee: bool = True  # a fact (FACT_FIELDS)
    filed_with_upper: bool = True


@dataclass(frozen=True, kw_only=True)
class MentorsAssigned(Event):
    kind: ClassVar[str] = EventKind.MENTORS_ASSIGNED
    mentors: tuple[MemberFacts, ...]


@dataclass(frozen=True, kw_only=True)
class Assessment(Event):
    kind: ClassVar[str] = EventKind.ASSESSMENT


@dataclass(frozen=True, kw_only=True)
class CandidateDesignated(Event):
    kind: ClassVar[str] = EventKind.CANDIDATE_DESIGNATED


@dataclass(frozen=True, kw_only=True)
class SponsorsAssigned(Event):
    kind: ClassVar[str] = EventKind.SPONSORS_ASSIGNED
    sponsors: tuple[MemberFacts, ...]


@dataclass(frozen=True, kw_only=True)
class PoliticalReview(Event):
    kind: ClassVar[str] = EventKind.POLITICAL_REVIEW
    passed: bool


@dataclass(frozen=True, kw_only=True)
class TrainingCompleted(Event):
    kind: ClassVar[str] = EventKind.TRAINING_COMPLETED
    days: int = 0
    hours: int = 0


@dataclass(frozen=True, kw_only=True)
class PreReview(Event):
    kind: ClassVar[str] = EventKind.PRE_REVIEW
    passed: bool


@dataclass(frozen=True, kw_only=True)
class PublicNotice(Event):
    """`on` is the date the notice is recorded; it ran from `start_on` (default: `on`)."""

    kind: ClassVar[str] = EventKind.PUBLIC_NOTICE
    working_days: int
    start_on: dt.date | None = None

    @property
    def starts_on(self) -> dt.date:
        return self.start_on or self.on

    def period(self, calendar: WorkdayCalendar) -> WorkdayPeriod:
        """The notice's period: `working_days` working days from `starts_on` (REC-NOTICE)."""
        return workday_period_end(self.starts_on, self.working_days, calendar=calendar)


@dataclass(frozen=True, kw_only=True)
class BranchVote(Event):
    """A branch general meeting's vote on admitting the candidate. One that has a quorum but not the majority
    is a fact too: recorded, and it admits nobody (`passed`). `electorate` (a vote recorded by counts only) and
    `sponsors_at_vote` are facts (FACT_FIELDS): None when not known (steps stored before they were kept)."""

    kind: ClassVar[str] = EventKind.BRANCH_VOTE
    votes: VoteCounts
    roster: VoteRoster | None = None
    electorate: tuple[MemberFacts, ...] | None = None
    sponsors_at_vote: tuple[MemberFacts, ...] | None = None

    @property
    def passed(self) -> bool:
        return vote_passed(self.votes)


@dataclass(frozen=True, kw_only=True)
class Approval(Event):
    kind: ClassVar[str] = EventKind.APPROVAL
    approved: bool = True
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Oath(Event):
    kind: ClassVar[str] = EventKind.OATH


@dataclass(frozen=True, kw_only=True)
class ConversionVote(Event):
    """The branch's resolution at the end of probation; one without the majority is recorded and resolves
    nothing (`passed`). `electorate` as for `BranchVote`."""

    kind: ClassVar[str] = EventKind.CONVERSION_VOTE
    votes: VoteCounts
    roster: VoteRoster | None = None
    outcome: str = ProbationOutcome.CONVERT
    electorate: tuple[MemberFacts, ...] | None = None

    @property
    def passed(self) -> bool:
        return vote_passed(self.votes)


@dataclass(frozen=True, kw_only=True)
class ConversionApproval(Event):
    kind: ClassVar[str] = EventKind.CONVERSION_APPROVAL
    approved: bool = True
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ProbationExtended(Event):
    """The upper committee's approval of a branch resolution to extend probation by `months`."""

    kind: ClassVar[str] = EventKind.PROBATION_EXTENDED
    months: int
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ProbationCancelled(Event):
    """The upper committee's approval of a branch resolution to cancel the probationary membership."""

    kind: ClassVar[str] = EventKind.PROBATION_CANCELLED
    reason: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        Talk,
        ActivistDesignated,
        MentorsAssigned,
        Assessment,
        CandidateDesignated,
        SponsorsAssigned,
        PoliticalReview,
        TrainingCompleted,
        PreReview,
        PublicNotice,
        BranchVote,
        Approval,
        Oath,
        ConversionVote,
        ConversionApproval,
        ProbationExtended,
        ProbationCancelled,
    )
}

# The payload field names of each step (the API's body besides `event` and `on`).
PAYLOAD_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields(cls) if f.name != "on" and f.name not in FACT_FIELDS)
    for kind, cls in EVENT_TYPES.items()
}


@dataclass(frozen=True)
class Timeline:
    """One person's dossier as the rules see it: the recorded steps, oldest first."""

    birth_date: dt.date
    applied_on: dt.date
    events: tuple[Event, ...] = ()

    def with_event(self, event: Event) -> Timeline:
        return replace(self, events=(*self.events, event))
