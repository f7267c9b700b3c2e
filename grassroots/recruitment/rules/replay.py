"""The state of a dossier after its recorded steps, and the checks several steps share (people, training,
public notices)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.core.dates import add_months, add_years, cn_date
from grassroots.core.workdays import WorkdayCalendar, WorkdayPeriod

from .base import MENTORS, PROBATION_YEARS, SPONSORS, MemberFacts, RecruitmentWarning, _refuse, _too_early
from .events import (
    ActivistDesignated,
    Approval,
    Assessment,
    BranchVote,
    ConversionApproval,
    ConversionVote,
    Event,
    MentorsAssigned,
    Oath,
    PoliticalReview,
    PreReview,
    ProbationCancelled,
    ProbationExtended,
    PublicNotice,
    SponsorsAssigned,
    Talk,
    Timeline,
    TrainingCompleted,
)
from .graph import GRAPH, START
from .policy import Policy


@dataclass
class _State:
    stage: str
    last_on: dt.date
    talk_on: dt.date | None = None
    activist_on: dt.date | None = None
    last_assessment_on: dt.date | None = None
    mentors_ok: bool = False
    sponsors_ok: bool = False
    review_passed: bool = False
    training_ok: bool = False
    pre_review_passed: bool = False
    pre_review_on: dt.date | None = None
    notices: list[PublicNotice] = field(default_factory=list)
    pending_vote: BranchVote | None = None
    failed_vote_on: dt.date | None = None  # the latest vote (branch or conversion) that did not pass
    admitted_on: dt.date | None = None
    oath_on: dt.date | None = None
    extension_months: int = 0
    pending_resolution: ConversionVote | None = None
    converted_on: dt.date | None = None

    @property
    def probation_ends_on(self) -> dt.date | None:
        if self.admitted_on is None:
            return None
        return add_months(add_years(self.admitted_on, PROBATION_YEARS), self.extension_months)


def _target(stage: str, event: Event) -> str:
    if getattr(event, "approved", True) is False:
        return stage
    return GRAPH[stage][event.kind]


def _replay(timeline: Timeline, policy: Policy | None = None) -> _State:
    """The state after the recorded steps (which were checked when recorded)."""
    policy = policy or Policy()
    s = _State(stage=START, last_on=timeline.applied_on)
    for event in timeline.events:
        _apply(s, event, policy)
    return s


def _apply(s: _State, event: Event, policy: Policy) -> None:
    s.last_on = event.on
    match event:
        case Talk():
            s.talk_on = s.talk_on or event.on
        case ActivistDesignated():
            s.activist_on = event.on
        case MentorsAssigned():
            s.mentors_ok = _people_problem(event.mentors, MENTORS, check_discipline=False) is None
        case Assessment():
            s.last_assessment_on = event.on
        case SponsorsAssigned():
            s.sponsors_ok = (
                _people_problem(event.sponsors, (SPONSORS, SPONSORS), check_discipline=True) is None
            )
        case PoliticalReview():
            s.review_passed = event.passed
        case TrainingCompleted():
            s.training_ok = s.training_ok or _training_enough(event, policy)
        case PreReview():
            s.pre_review_passed = event.passed
            s.pre_review_on = event.on
        case PublicNotice():
            s.notices.append(event)
        case BranchVote() | ConversionVote() if not event.passed:
            s.failed_vote_on = event.on
        case BranchVote():
            s.pending_vote = event
        case Approval():
            if event.approved:
                s.admitted_on = s.pending_vote.on
            s.pending_vote = None
        case Oath():
            s.oath_on = event.on
        case ConversionVote():
            s.pending_resolution = event
        case ConversionApproval():
            if event.approved:
                s.converted_on = s.probation_ends_on
            s.pending_resolution = None
        case ProbationExtended():
            s.extension_months = event.months
            s.pending_resolution = None
            s.notices = []
        case ProbationCancelled():
            s.pending_resolution = None
    stage = _target(s.stage, event)
    if stage != s.stage:
        s.notices = []
    s.stage = stage


def _people_problem(
    people: tuple[MemberFacts, ...], bounds: tuple[int, int], *, check_discipline: bool
) -> str | None:
    low, high = bounds
    distinct = len({p.member_id for p in people})
    if distinct != len(people) or not low <= distinct <= high:
        return "count"
    if not all(p.full for p in people):
        return "full"
    if check_discipline and any(p.disciplinary_probation for p in people):
        return "discipline"
    return None


def _training_enough(event: TrainingCompleted, policy: Policy) -> bool:
    return event.days >= policy.training_days or event.hours >= policy.training_hours


def _notice_periods(s: _State, policy: Policy, calendar: WorkdayCalendar) -> list[WorkdayPeriod]:
    return [n.period(calendar) for n in s.notices if n.working_days >= policy.notice_working_days]


def _check_notice(
    s: _State, event: Event, policy: Policy, calendar: WorkdayCalendar, action: str
) -> list[RecruitmentWarning]:
    """REC-NOTICE: a notice of at least the policy's working days ended before the step's date."""
    if event.kind not in policy.notice_before:
        return []
    periods = _notice_periods(s, policy, calendar)
    ended = [p for p in periods if p.end < event.on]
    if ended:
        used = min(ended, key=lambda p: p.end)
        return _fallback_warning(used)
    if periods:
        first = min(periods, key=lambda p: p.end)
        raise _too_early(
            "REC-NOTICE", first.next_day, action, _("公示期满%(n)d个工作日后") % {"n": first.working_days}
        )
    raise _refuse(
        "REC-NOTICE",
        _("%(action)s前应进行不少于%(n)d个工作日的公示")
        % {"action": action, "n": policy.notice_working_days},
    )


def _fallback_warning(period: WorkdayPeriod) -> list[RecruitmentWarning]:
    if not period.fallback:
        return []
    return [
        RecruitmentWarning(
            "CAL-WORKDAY",
            _("%(year)d年的法定节假日安排未知，公示期按周一至周五计算，截至%(date)s，请核对（CAL-WORKDAY）")
            % {"year": period.end.year, "date": cn_date(period.end)},
            {"end": period.end.isoformat(), "fallback": True},
        )
    ]
