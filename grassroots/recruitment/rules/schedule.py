"""What a dossier's timeline gives: its stage, its dates (REC-DATES) and the steps that may come next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from grassroots.core.dates import add_months, add_years
from grassroots.core.workdays import WorkdayCalendar

from ..choices import (
    EventKind,
    ProbationOutcome,
    Stage,
)
from .base import CANDIDATE_AFTER_YEARS, TALK_WITHIN_MONTHS
from .checks import _assessment_due
from .events import Timeline
from .policy import Policy
from .replay import _notice_periods, _replay


@dataclass(frozen=True)
class NextStep:
    """A step that may be taken next: from `earliest_on` (a lower bound given what is recorded; the steps in
    `requires` must come first), due by `due_by` (None: no deadline) under the rule `rule_id` (REC-TALK-1M,
    REC-ASSESS-6M, REC-APPROVAL-3M, REC-PROBATION-1Y; "" without a deadline)."""

    event: str
    earliest_on: dt.date
    due_by: dt.date | None = None
    requires: tuple[str, ...] = ()
    rule_id: str = ""


@dataclass(frozen=True)
class DerivedDates:
    """REC-DATES: 入党时间 is the date of the admitting branch vote; 转正时间 is the day probation ends."""

    stage: str
    admitted_on: dt.date | None
    converted_on: dt.date | None
    probation_ends_on: dt.date | None


def derived_dates(timeline: Timeline) -> DerivedDates:
    """REC-DATES: the stage, 入党时间 (the admitting branch vote), 转正时间 (the day probation ends) and the
    end of probation (one year after admission, later by any extension)."""
    s = _replay(timeline)
    return DerivedDates(
        stage=s.stage,
        admitted_on=s.admitted_on,
        converted_on=s.converted_on,
        probation_ends_on=s.probation_ends_on,
    )


def stage_of(timeline: Timeline) -> str:
    return _replay(timeline).stage


def next_steps(timeline: Timeline, *, policy: Policy, calendar: WorkdayCalendar) -> list[NextStep]:
    """What may be done next, from when, and by when (REC-TALK-1M, REC-ASSESS-6M, REC-CANDIDATE-1Y,
    REC-NOTICE, REC-APPROVAL-3M, REC-PROBATION-1Y)."""
    s = _replay(timeline, policy)
    floor = s.last_on
    # A vote that failed is put again on a later day (REC-ORDER).
    after_failed = s.failed_vote_on + dt.timedelta(days=1) if s.failed_vote_on is not None else floor
    out: list[NextStep] = []
    requires: list[str] = []

    def add(
        kind: str, earliest: dt.date, due: dt.date | None = None, needs: Iterable[str] = (), rule: str = ""
    ) -> None:
        out.append(NextStep(kind, max(earliest, floor), due, tuple(needs), rule))

    def need(kind: str, ok: bool) -> None:
        if not ok:
            add(kind, floor)
            requires.append(kind)

    def notice_for(step: str) -> dt.date:
        """The day after the earliest-ending adequate notice; lists the notice when one is needed."""
        if step not in policy.notice_before:
            return floor
        periods = _notice_periods(s, policy, calendar)
        need(EventKind.PUBLIC_NOTICE, bool(periods))
        return min((p.next_day for p in periods), default=floor)

    if s.stage == Stage.APPLICANT:
        if s.talk_on is None:
            add(
                EventKind.TALK,
                timeline.applied_on,
                add_months(timeline.applied_on, TALK_WITHIN_MONTHS),
                rule="REC-TALK-1M",
            )
        after_notice = notice_for(EventKind.ACTIVIST_DESIGNATED)
        earliest = max(add_months(timeline.applied_on, policy.activist_wait_months), after_notice)
        add(EventKind.ACTIVIST_DESIGNATED, earliest, needs=requires)
    elif s.stage == Stage.ACTIVIST:
        add(EventKind.ASSESSMENT, floor, _assessment_due(s), rule="REC-ASSESS-6M")
        need(EventKind.MENTORS_ASSIGNED, s.mentors_ok)
        after_notice = notice_for(EventKind.CANDIDATE_DESIGNATED)
        earliest = max(add_years(s.activist_on, CANDIDATE_AFTER_YEARS), after_notice)
        add(EventKind.CANDIDATE_DESIGNATED, earliest, needs=requires)
    elif s.stage == Stage.CANDIDATE:
        if s.pending_vote is not None:
            vote_on = s.pending_vote.on
            add(
                EventKind.APPROVAL,
                vote_on,
                add_months(vote_on, policy.approval_warn_months),
                rule="REC-APPROVAL-3M",
            )
        else:
            need(EventKind.SPONSORS_ASSIGNED, s.sponsors_ok)
            need(EventKind.POLITICAL_REVIEW, s.review_passed)
            need(EventKind.TRAINING_COMPLETED, s.training_ok)
            need(EventKind.PRE_REVIEW, s.pre_review_passed)
            after_notice = notice_for(EventKind.BRANCH_VOTE)
            add(EventKind.BRANCH_VOTE, max(after_notice, after_failed), needs=requires)
    elif s.stage == Stage.PROBATIONARY:
        resolution = s.pending_resolution
        if resolution is not None:
            kind = {
                ProbationOutcome.CONVERT: EventKind.CONVERSION_APPROVAL,
                ProbationOutcome.EXTEND: EventKind.PROBATION_EXTENDED,
                ProbationOutcome.CANCEL: EventKind.PROBATION_CANCELLED,
            }[resolution.outcome]
            add(
                kind,
                resolution.on,
                add_months(resolution.on, policy.approval_warn_months),
                rule="REC-APPROVAL-3M",
            )
        else:
            if s.oath_on is None:
                add(EventKind.OATH, floor)
            ends = s.probation_ends_on
            after_notice = notice_for(EventKind.CONVERSION_VOTE)
            due = add_months(ends, policy.conversion_vote_grace_months)
            add(
                EventKind.CONVERSION_VOTE,
                max(ends, after_notice, after_failed),
                due,
                needs=requires,
                rule="REC-PROBATION-1Y",
            )
    return out
