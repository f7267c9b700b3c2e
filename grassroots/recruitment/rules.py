"""Rules of recruitment (发展党员): 中国共产党章程 Art. 1, 5–7; 中国共产党发展党员工作细则 (2014) Art. 5–31;
中国共产党支部工作条例（试行）(2018) Art. 11; 中国共产党基层组织选举工作条例 (2020) Art. 5.

Pure functions: a `Timeline` (birth date, application date, the steps recorded so far), a new step, a
`Policy` and a `WorkdayCalendar` in; warnings, next steps or a `RuleViolation` out. No ORM, no clock, no
settings, and no holiday package: the calendar is a parameter.

Rule ids (RULES.md): REC-AGE-18, REC-TALK-1M, REC-ACTIVIST-WAIT, REC-ACTIVIST-SOURCE, REC-MENTORS,
REC-ASSESS-6M, REC-CANDIDATE-1Y, REC-SPONSORS, REC-REVIEW, REC-TRAINING, REC-PRE-REVIEW, REC-NOTICE,
REC-VOTE-QUORUM, REC-VOTE-MAJORITY, REC-VOTE-ONE-BY-ONE, REC-VOTERS-FULL, REC-APPROVAL-3M,
REC-PROBATION-1Y, REC-EXTENSION, REC-OUTCOME, REC-DATES; CAL-WORKDAY (a warning when a notice was counted
Monday–Friday because the calendar does not know the year).

Project rule ids:
- REC-ORDER: a step is dated no earlier than the step before it, and no earlier than the application.
- REC-STAGE: a step is taken only in a stage that allows it (the stage graph `GRAPH`), and only when the step
  it answers is pending (an approval needs a branch vote awaiting approval; one vote awaits approval at a
  time; one oath).

Readings of the regulation this module takes (see docs/rules.md):
- Votes: `yes`, `no`, `abstain` are cast by full members present; `written_yes` are written opinions
  submitted beforehand by full members who are absent. Quorum: present > should_attend / 2. Majority:
  yes + written_yes > should_attend / 2 (not of those present). A resolution that does not reach both is
  refused (`RuleViolation`): a failed meeting admits nobody; `vote_passed()` answers without raising.
- REC-APPROVAL-3M: the three and six months run from the branch vote (the date the upper committee received
  the resolution is not recorded separately). Up to three months: fine. Over three and up to six months:
  allowed only with a recorded reason, and then warned. Over six months: refused.
- REC-PROBATION-1Y: probation ends one year (plus any extension) after the admitting vote, on the date
  `add_years` gives; the conversion vote may be held from that day; it is warned as late after
  `Policy.conversion_vote_grace_months` (a project default of one month: the regulation says “及时”).
- REC-OUTCOME: at the end of probation the branch resolves (`conversion_vote` with an `outcome`: convert,
  extend or cancel) and the upper committee approves: `conversion_approval` for a conversion,
  `probation_extended` for an extension, `probation_cancelled` for a cancellation. Cancellation may be
  resolved at any time during probation; conversion and extension only once probation has ended.
- A refused approval (`approved=False`) is recorded and leaves the stage as it was; a new resolution is
  needed.
- REC-TRAINING: at least one training record reaches the threshold (days *or* hours); a shorter training is
  recorded with a warning.
- Public notices count for the step that follows in the same stage: a stage change (and an extension of
  probation) starts afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

from django.utils.translation import gettext as _

from grassroots.core.dates import add_months, add_years
from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import WorkdayCalendar, WorkdayPeriod, workday_period_end

from .choices import (
    ActivistSource,
    Decider,
    EventKind,
    ProbationOutcome,
    Stage,
    VoteExclusionReason,
    VoteOpinion,
)

MIN_AGE = 18  # REC-AGE-18
TALK_WITHIN_MONTHS = 1  # REC-TALK-1M
ASSESS_EVERY_MONTHS = 6  # REC-ASSESS-6M
CANDIDATE_AFTER_YEARS = 1  # REC-CANDIDATE-1Y
MENTORS = (1, 2)  # REC-MENTORS
SPONSORS = 2  # REC-SPONSORS
PROBATION_YEARS = 1  # REC-PROBATION-1Y
MAX_EXTENSION_MONTHS = 12  # REC-EXTENSION: never beyond one year in total

NOTICE_STEPS = frozenset(
    {
        EventKind.ACTIVIST_DESIGNATED,
        EventKind.CANDIDATE_DESIGNATED,
        EventKind.BRANCH_VOTE,
        EventKind.CONVERSION_VOTE,
    }
)


class StageGraphError(Exception):
    """The stage graph is inconsistent (raised at import)."""


# The stage graph: in each stage, the steps allowed and the stage each leads to. Terminal stages allow none.
GRAPH: dict[str, dict[str, str]] = {
    Stage.APPLICANT: {
        EventKind.TALK: Stage.APPLICANT,
        EventKind.PUBLIC_NOTICE: Stage.APPLICANT,
        EventKind.ACTIVIST_DESIGNATED: Stage.ACTIVIST,
    },
    Stage.ACTIVIST: {
        EventKind.MENTORS_ASSIGNED: Stage.ACTIVIST,
        EventKind.ASSESSMENT: Stage.ACTIVIST,
        EventKind.PUBLIC_NOTICE: Stage.ACTIVIST,
        EventKind.CANDIDATE_DESIGNATED: Stage.CANDIDATE,
    },
    Stage.CANDIDATE: {
        EventKind.SPONSORS_ASSIGNED: Stage.CANDIDATE,
        EventKind.POLITICAL_REVIEW: Stage.CANDIDATE,
        EventKind.TRAINING_COMPLETED: Stage.CANDIDATE,
        EventKind.PRE_REVIEW: Stage.CANDIDATE,
        EventKind.PUBLIC_NOTICE: Stage.CANDIDATE,
        EventKind.BRANCH_VOTE: Stage.CANDIDATE,
        EventKind.APPROVAL: Stage.PROBATIONARY,  # when approved
    },
    Stage.PROBATIONARY: {
        EventKind.OATH: Stage.PROBATIONARY,
        EventKind.PUBLIC_NOTICE: Stage.PROBATIONARY,
        EventKind.CONVERSION_VOTE: Stage.PROBATIONARY,
        EventKind.CONVERSION_APPROVAL: Stage.FULL,  # when approved
        EventKind.PROBATION_EXTENDED: Stage.PROBATIONARY,
        EventKind.PROBATION_CANCELLED: Stage.CANCELLED,
    },
    Stage.FULL: {},
    Stage.CANCELLED: {},
}
START = Stage.APPLICANT
TERMINAL = frozenset({Stage.FULL, Stage.CANCELLED})


# ---------------------------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Policy:
    """Durations and thresholds an organization department may set for its subtree (RULES.md *policy*)."""

    activist_wait_months: int = 0  # REC-ACTIVIST-WAIT (many places use 6)
    training_days: int = 3  # REC-TRAINING: days …
    training_hours: int = 24  # … or class hours
    notice_working_days: int = 5  # REC-NOTICE
    notice_before: frozenset[str] = frozenset({EventKind.BRANCH_VOTE})  # REC-NOTICE: steps needing one
    extension_months: tuple[int, int] = (6, 12)  # REC-EXTENSION
    approval_warn_months: int = 3  # REC-APPROVAL-3M
    approval_block_months: int = 6  # REC-APPROVAL-3M
    conversion_vote_grace_months: int = 1  # REC-PROBATION-1Y: late after this (project default)

    def __post_init__(self) -> None:
        low, high = self.extension_months
        if not 0 < low <= high <= MAX_EXTENSION_MONTHS:
            raise ValueError("extension_months must satisfy 0 < min <= max <= 12")
        if not self.notice_before <= NOTICE_STEPS:
            raise ValueError("notice_before names a step that takes no public notice")
        if not 0 <= self.approval_warn_months <= self.approval_block_months:
            raise ValueError("approval_warn_months must not exceed approval_block_months")
        if self.notice_working_days < 1 or self.training_days < 1 or self.training_hours < 1:
            raise ValueError("notice and training thresholds must be positive")


@dataclass(frozen=True)
class MemberFacts:
    """A member as a step sees it on its date: full member? under 留党察看 (`disciplinary_probation`)?
    `name` only serves messages."""

    member_id: int | str
    full: bool
    disciplinary_probation: bool = False
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class VoteCounts:
    """A branch general meeting's vote on one person. `yes`/`no`/`abstain` are cast by those present;
    `written_yes` are written opinions of absent full members; `candidates` is how many people the vote
    covered (REC-VOTE-ONE-BY-ONE: always 1)."""

    should_attend: int
    present: int
    yes: int
    no: int = 0
    abstain: int = 0
    written_yes: int = 0
    candidates: int = 1


@dataclass(frozen=True)
class Exclusion:
    """Why a full member is not counted among those who should attend (`VoteExclusionReason`)."""

    reason: str
    note: str = ""


@dataclass(frozen=True)
class VoteRoster:
    """Who was called to a vote and who came (REC-VOTERS-FULL).

    `electorate`: every full member of the branch on the vote date, with their 留党察看 facts; `excluded`:
    member id → `Exclusion` (not counted among those who should attend); `present`: ids of those at the
    meeting; `written`: member id → `VoteOpinion` of an absent member's written opinion. Members under
    留党察看 have no vote: they are excluded with the fixed reason whether listed or not.
    """

    electorate: tuple[MemberFacts, ...]
    excluded: Mapping[int | str, Exclusion] = field(default_factory=dict)
    present: frozenset[int | str] = frozenset()
    written: Mapping[int | str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RosterCounts:
    """The counts a roster gives (REC-VOTERS-FULL); `excluded` includes the automatic exclusions."""

    should_attend: int
    present: int
    written_yes: int
    written_no: int
    written_abstain: int
    excluded: Mapping[int | str, Exclusion]


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
    branch_has_committee: bool = True
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


@dataclass(frozen=True, kw_only=True)
class BranchVote(Event):
    kind: ClassVar[str] = EventKind.BRANCH_VOTE
    votes: VoteCounts
    roster: VoteRoster | None = None


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
    kind: ClassVar[str] = EventKind.CONVERSION_VOTE
    votes: VoteCounts
    roster: VoteRoster | None = None
    outcome: str = ProbationOutcome.CONVERT


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
    kind: tuple(f.name for f in fields(cls) if f.name != "on") for kind, cls in EVENT_TYPES.items()
}


@dataclass(frozen=True)
class Timeline:
    """One person's dossier as the rules see it: the recorded steps, oldest first."""

    birth_date: dt.date
    applied_on: dt.date
    events: tuple[Event, ...] = ()

    def with_event(self, event: Event) -> Timeline:
        return replace(self, events=(*self.events, event))


@dataclass(frozen=True)
class RecruitmentWarning:
    rule_id: str
    message: str
    params: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class NextStep:
    """A step that may be taken next: from `earliest_on` (a lower bound given what is recorded; the steps in
    `requires` must come first), due by `due_by` (None: no deadline)."""

    event: str
    earliest_on: dt.date
    due_by: dt.date | None = None
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivedDates:
    """REC-DATES: 入党时间 is the date of the admitting branch vote; 转正时间 is the day probation ends."""

    stage: str
    admitted_on: dt.date | None
    converted_on: dt.date | None
    probation_ends_on: dt.date | None


# ---------------------------------------------------------------------------------------------- the graph


def check_graph(
    graph: Mapping[str, Mapping[str, str]],
    *,
    start: str,
    terminal: Iterable[str],
    stages: Iterable[str],
    kinds: Iterable[str],
    event_types: Mapping[str, type],
) -> None:
    """Raise StageGraphError unless every stage is declared and reachable from `start`, only terminal stages
    are dead ends, every target is a stage, and every step is known, used and has an event type."""
    stages, kinds, terminal = set(stages), set(kinds), set(terminal)
    if set(graph) != stages:
        raise StageGraphError(f"stages declared {sorted(graph)} differ from {sorted(stages)}")
    used: set[str] = set()
    for stage, steps in graph.items():
        if not steps and stage not in terminal:
            raise StageGraphError(f"stage {stage} allows no step but is not terminal")
        if steps and stage in terminal:
            raise StageGraphError(f"terminal stage {stage} allows steps")
        for kind, target in steps.items():
            if kind not in kinds:
                raise StageGraphError(f"unknown step {kind} in stage {stage}")
            if target not in stages:
                raise StageGraphError(f"step {kind} in stage {stage} leads to unknown stage {target}")
            used.add(kind)
    if used != kinds:
        raise StageGraphError(f"steps never allowed: {sorted(kinds - used)}")
    if set(event_types) != kinds:
        raise StageGraphError(f"steps without an event type: {sorted(kinds - set(event_types))}")
    reached, frontier = {start}, [start]
    while frontier:
        for target in graph[frontier.pop()].values():
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    if reached != stages:
        raise StageGraphError(f"stages not reachable from {start}: {sorted(stages - reached)}")


check_graph(
    GRAPH,
    start=START,
    terminal=TERMINAL,
    stages=Stage.values,
    kinds=EventKind.values,
    event_types=EVENT_TYPES,
)


# ---------------------------------------------------------------------------------------------- replay


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
    notices: list[PublicNotice] = field(default_factory=list)
    pending_vote: BranchVote | None = None
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
        case PublicNotice():
            s.notices.append(event)
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


# ---------------------------------------------------------------------------------------------- helpers


def _cn_date(day: dt.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _too_early(
    rule_id: str, earliest: dt.date, action: str, reason: str, field_name: str = "on"
) -> RuleViolation:
    return RuleViolation(
        rule_id,
        _("最早可于 %(date)s %(action)s（%(rule)s：%(reason)s）")
        % {"date": _cn_date(earliest), "action": action, "rule": rule_id, "reason": reason},
        field=field_name,
        params={"earliest_on": earliest.isoformat()},
    )


def _refuse(rule_id: str, message: str, field_name: str | None = None) -> RuleViolation:
    return RuleViolation(
        rule_id, _("%(message)s（%(rule)s）") % {"message": message, "rule": rule_id}, field=field_name
    )


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
    return [
        workday_period_end(n.starts_on, n.working_days, calendar=calendar)
        for n in s.notices
        if n.working_days >= policy.notice_working_days
    ]


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
            % {"year": period.end.year, "date": _cn_date(period.end)},
            {"end": period.end.isoformat(), "fallback": True},
        )
    ]


def check_vote(votes: VoteCounts) -> None:
    """REC-VOTERS-FULL, REC-VOTE-ONE-BY-ONE, REC-VOTE-QUORUM, REC-VOTE-MAJORITY on one vote's counts."""
    numbers = (votes.should_attend, votes.present, votes.yes, votes.no, votes.abstain, votes.written_yes)
    if min(numbers) < 0 or votes.should_attend < 1:
        raise _refuse("REC-VOTERS-FULL", _("应到正式党员人数应至少为1，各项票数不能为负数"), "should_attend")
    if votes.present > votes.should_attend:
        raise _refuse(
            "REC-VOTERS-FULL",
            _("实到人数（%(present)d）超过应到正式党员人数（%(should)d）；只有正式党员有表决权")
            % {"present": votes.present, "should": votes.should_attend},
            "present",
        )
    if votes.yes + votes.no + votes.abstain > votes.present:
        raise _refuse(
            "REC-VOTERS-FULL",
            _("赞成、反对、弃权票合计（%(cast)d）超过实到正式党员人数（%(present)d）")
            % {"cast": votes.yes + votes.no + votes.abstain, "present": votes.present},
            "yes",
        )
    if votes.written_yes > votes.should_attend - votes.present:
        raise _refuse(
            "REC-VOTERS-FULL",
            _("书面表决意见（%(written)d）只能来自未到会的正式党员（%(absent)d名）")
            % {"written": votes.written_yes, "absent": votes.should_attend - votes.present},
            "written_yes",
        )
    if votes.candidates != 1:
        raise _refuse(
            "REC-VOTE-ONE-BY-ONE", _("发展党员应逐个讨论、逐个表决，每次表决只能针对一人"), "candidates"
        )
    if 2 * votes.present <= votes.should_attend:
        raise _refuse(
            "REC-VOTE-QUORUM",
            _("实到正式党员%(present)d名，未超过应到正式党员%(should)d名的半数，不能表决")
            % {"present": votes.present, "should": votes.should_attend},
            "present",
        )
    total = votes.yes + votes.written_yes
    if 2 * total <= votes.should_attend:
        raise _refuse(
            "REC-VOTE-MAJORITY",
            _("赞成票（含书面意见）%(yes)d票，未超过应到正式党员%(should)d名的半数，决议未通过")
            % {"yes": total, "should": votes.should_attend},
            "yes",
        )


def _check_votes(event: BranchVote | ConversionVote) -> None:
    if event.roster is not None:
        check_roster(event.roster, event.votes)
    check_vote(event.votes)


def _who(facts: Mapping[int | str, MemberFacts], member_id: int | str) -> str:
    person = facts.get(member_id)
    if person is not None and person.name:
        return person.name
    return _("编号%(id)s的人员") % {"id": member_id}


def roster_excluded(roster: VoteRoster) -> dict[int | str, Exclusion]:
    """The exclusions of a roster as they count: those listed, and every member under 留党察看 with the
    fixed reason (REC-VOTERS-FULL: they have no vote, whatever else was listed for them)."""
    out = dict(roster.excluded)
    for person in roster.electorate:
        if person.disciplinary_probation:
            out[person.member_id] = Exclusion(VoteExclusionReason.DISCIPLINARY_PROBATION)
    return out


def roster_counts(roster: VoteRoster) -> RosterCounts:
    """The counts a roster gives, without checking it (`check_roster` does): should attend = the electorate
    less the exclusions; present; written opinions by kind."""
    excluded = roster_excluded(roster)
    electorate = {p.member_id for p in roster.electorate}
    opinions = list(roster.written.values())
    return RosterCounts(
        should_attend=len(electorate - set(excluded)),
        present=len(roster.present),
        written_yes=opinions.count(VoteOpinion.YES),
        written_no=opinions.count(VoteOpinion.NO),
        written_abstain=opinions.count(VoteOpinion.ABSTAIN),
        excluded=excluded,
    )


def _roster_refusal(message: str) -> RuleViolation:
    return _refuse("REC-VOTERS-FULL", message, "roster")


def check_roster(roster: VoteRoster, votes: VoteCounts) -> RosterCounts:
    """REC-VOTERS-FULL on a roster: everyone named is a full member of the branch on the vote date and not
    under 留党察看; exclusions have a listed reason ("other" with a note); those present are not excluded;
    written opinions (yes / no / abstain) come only from absent members who should attend; and the counts of
    `votes` are those of the roster."""
    facts = {p.member_id: p for p in roster.electorate}
    named = [*roster.excluded, *sorted(roster.present, key=str), *roster.written]
    outsiders = [m for m in named if m not in facts or not facts[m].full]
    if outsiders:
        raise _roster_refusal(
            _("%(who)s不是本支部在表决之日的正式党员，没有表决权") % {"who": _who(facts, outsiders[0])}
        )
    for member_id, exclusion in roster.excluded.items():
        who = _who(facts, member_id)
        if exclusion.reason not in VoteExclusionReason.values:
            raise _roster_refusal(_("请选择%(who)s不计入应到人数的原因") % {"who": who})
        if exclusion.reason == VoteExclusionReason.DISCIPLINARY_PROBATION and not (
            facts[member_id].disciplinary_probation
        ):
            raise _roster_refusal(
                _("%(who)s在表决之日未受留党察看处分（留党察看须先在党员信息中登记）") % {"who": who}
            )
        if exclusion.reason == VoteExclusionReason.OTHER and not exclusion.note.strip():
            raise _roster_refusal(_("%(who)s不计入应到人数的原因为“其他”，须说明具体情况") % {"who": who})
    excluded = roster_excluded(roster)
    for member_id in [*sorted(roster.present, key=str), *roster.written]:
        if facts[member_id].disciplinary_probation:
            raise _roster_refusal(
                _("%(who)s受留党察看处分，没有表决权，不能计入到会人数或提交书面意见")
                % {"who": _who(facts, member_id)}
            )
        if member_id in excluded:
            raise _roster_refusal(
                _("%(who)s已列为不计入应到人数，不能同时计入到会人数或提交书面意见")
                % {"who": _who(facts, member_id)}
            )
    for member_id, opinion in roster.written.items():
        if member_id in roster.present:
            raise _roster_refusal(
                _("%(who)s已到会，书面表决意见只能来自未到会的正式党员") % {"who": _who(facts, member_id)}
            )
        if opinion not in VoteOpinion.values:
            raise _roster_refusal(
                _("%(who)s的书面表决意见应为赞成、反对或弃权") % {"who": _who(facts, member_id)}
            )
    counts = roster_counts(roster)
    for name, label in (
        ("should_attend", _("应到正式党员人数")),
        ("present", _("实到正式党员人数")),
        ("written_yes", _("书面赞成人数")),
    ):
        given, derived = getattr(votes, name), getattr(counts, name)
        if given != derived:
            raise _refuse(
                "REC-VOTERS-FULL",
                _("%(label)s（%(given)d）与参会名单统计的人数（%(derived)d）不一致")
                % {"label": label, "given": given, "derived": derived},
                name,
            )
    return counts


def vote_passed(votes: VoteCounts) -> bool:
    """Whether a vote's counts pass every REC-VOTE-* rule (without raising)."""
    try:
        check_vote(votes)
    except RuleViolation:
        return False
    return True


def check_application(*, birth_date: dt.date, applied_on: dt.date) -> None:
    """REC-AGE-18: an applicant is at least 18 on the application date."""
    earliest = add_years(birth_date, MIN_AGE)
    if applied_on < earliest:
        raise _too_early("REC-AGE-18", earliest, _("提出入党申请"), _("年满18周岁"), "applied_on")


def _check_approval_time(
    vote_on: dt.date, event: Event, policy: Policy, reason: str
) -> list[RecruitmentWarning]:
    """REC-APPROVAL-3M, measured from the branch vote."""
    warn_after = add_months(vote_on, policy.approval_warn_months)
    block_after = add_months(vote_on, policy.approval_block_months)
    if event.on <= warn_after:
        return []
    if event.on > block_after:
        raise _refuse(
            "REC-APPROVAL-3M",
            _("上级党委审批最迟应于%(date)s前作出，已超过%(n)d个月")
            % {"date": _cn_date(block_after), "n": policy.approval_block_months},
        )
    if not reason.strip():
        raise _refuse(
            "REC-APPROVAL-3M",
            _("审批超过%(n)d个月（应于%(date)s前作出），须记录延长审批的理由")
            % {"n": policy.approval_warn_months, "date": _cn_date(warn_after)},
            "reason",
        )
    return [
        RecruitmentWarning(
            "REC-APPROVAL-3M",
            _("上级党委审批超过%(n)d个月（应于%(date)s前作出），理由：%(reason)s（REC-APPROVAL-3M）")
            % {"n": policy.approval_warn_months, "date": _cn_date(warn_after), "reason": reason},
            {"due_by": warn_after.isoformat()},
        )
    ]


# ---------------------------------------------------------------------------------------------- steps


def _check_talk(s, timeline, event, policy, calendar):
    due = add_months(timeline.applied_on, TALK_WITHIN_MONTHS)
    if s.talk_on is None and event.on > due:
        return [_talk_warning(due)]
    return []


def _talk_warning(due: dt.date) -> RecruitmentWarning:
    return RecruitmentWarning(
        "REC-TALK-1M",
        _("应于%(date)s前（收到入党申请一个月内）派人谈话（REC-TALK-1M）") % {"date": _cn_date(due)},
        {"due_by": due.isoformat()},
    )


def _check_activist(s, timeline, event, policy, calendar):
    earliest = add_months(timeline.applied_on, policy.activist_wait_months)
    if event.on < earliest:
        raise _too_early(
            "REC-ACTIVIST-WAIT",
            earliest,
            _("确定为入党积极分子"),
            _("提出入党申请满%(n)d个月") % {"n": policy.activist_wait_months},
        )
    if event.source not in ActivistSource.values:
        raise _refuse("REC-ACTIVIST-SOURCE", _("入党积极分子应经党员推荐或群团组织推优产生"), "source")
    if event.decided_by not in Decider.values or (
        event.decided_by == Decider.GENERAL_MEETING and event.branch_has_committee
    ):
        raise _refuse(
            "REC-ACTIVIST-SOURCE",
            _("入党积极分子由支部委员会（不设支部委员会的由支部党员大会）研究决定"),
            "decided_by",
        )
    if not event.filed_with_upper:
        raise _refuse("REC-ACTIVIST-SOURCE", _("确定入党积极分子应报上级党委备案"), "filed_with_upper")
    warnings = _check_notice(s, event, policy, calendar, _("确定为入党积极分子"))
    if s.talk_on is None:
        warnings.append(_talk_warning(add_months(timeline.applied_on, TALK_WITHIN_MONTHS)))
    return warnings


def _check_mentors(s, timeline, event, policy, calendar):
    problem = _people_problem(event.mentors, MENTORS, check_discipline=False)
    if problem is not None:
        raise _refuse("REC-MENTORS", _("应指定一至两名正式党员作为培养联系人"), "mentors")
    return []


def _assessment_due(s: _State) -> dt.date:
    return add_months(s.last_assessment_on or s.activist_on, ASSESS_EVERY_MONTHS)


def _assessment_warning(due: dt.date) -> RecruitmentWarning:
    return RecruitmentWarning(
        "REC-ASSESS-6M",
        _("应于%(date)s前对入党积极分子进行考察（每半年至少一次）（REC-ASSESS-6M）")
        % {"date": _cn_date(due)},
        {"due_by": due.isoformat()},
    )


def _check_assessment(s, timeline, event, policy, calendar):
    due = _assessment_due(s)
    return [_assessment_warning(due)] if event.on > due else []


def _check_candidate(s, timeline, event, policy, calendar):
    if not s.mentors_ok:
        raise _refuse("REC-MENTORS", _("确定为发展对象前应指定一至两名正式党员作为培养联系人"), "mentors")
    earliest = add_years(s.activist_on, CANDIDATE_AFTER_YEARS)
    if event.on < earliest:
        raise _too_early("REC-CANDIDATE-1Y", earliest, _("确定为发展对象"), _("确定为积极分子满一年"))
    warnings = _check_notice(s, event, policy, calendar, _("确定为发展对象"))
    due = _assessment_due(s)
    if event.on > due:
        warnings.append(_assessment_warning(due))
    return warnings


def _check_sponsors(s, timeline, event, policy, calendar):
    problem = _people_problem(event.sponsors, (SPONSORS, SPONSORS), check_discipline=True)
    if problem is not None:
        raise _refuse("REC-SPONSORS", _("应有两名入党介绍人，均为正式党员且未受留党察看处分"), "sponsors")
    return []


def _check_training(s, timeline, event, policy, calendar):
    if min(event.days, event.hours) < 0:
        raise _refuse("REC-TRAINING", _("培训天数和学时不能为负数"), "days")
    if _training_enough(event, policy):
        return []
    return [
        RecruitmentWarning(
            "REC-TRAINING",
            _("本次培训不足%(days)d天或%(hours)d学时，不计入集中培训要求（REC-TRAINING）")
            % {"days": policy.training_days, "hours": policy.training_hours},
            {"days": event.days, "hours": event.hours},
        )
    ]


def _check_nothing(s, timeline, event, policy, calendar):
    return []


def _check_notice_event(s, timeline, event, policy, calendar):
    if event.working_days < policy.notice_working_days:
        raise _refuse(
            "REC-NOTICE",
            _("公示期应不少于%(n)d个工作日") % {"n": policy.notice_working_days},
            "working_days",
        )
    return _fallback_warning(workday_period_end(event.starts_on, event.working_days, calendar=calendar))


def _check_branch_vote(s, timeline, event, policy, calendar):
    if s.pending_vote is not None:
        raise _refuse(
            "REC-STAGE",
            _("支部大会已于%(date)s表决，正在等待上级党委审批") % {"date": _cn_date(s.pending_vote.on)},
        )
    if not s.sponsors_ok:
        raise _refuse("REC-SPONSORS", _("支部大会表决前应确定两名符合条件的入党介绍人"), "sponsors")
    if not s.review_passed:
        raise _refuse("REC-REVIEW", _("支部大会表决前应形成结论合格的书面政治审查材料"), "political_review")
    if not s.training_ok:
        raise _refuse(
            "REC-TRAINING",
            _("支部大会表决前发展对象应参加不少于%(days)d天或%(hours)d学时的集中培训")
            % {"days": policy.training_days, "hours": policy.training_hours},
            "training",
        )
    if not s.pre_review_passed:
        raise _refuse("REC-PRE-REVIEW", _("支部大会表决前应经上级党委预审合格"), "pre_review")
    warnings = _check_notice(s, event, policy, calendar, _("召开支部大会表决"))
    _check_votes(event)
    return warnings


def _check_approval(s, timeline, event, policy, calendar):
    if s.pending_vote is None:
        raise _refuse("REC-STAGE", _("尚无等待审批的支部大会决议"))
    return _check_approval_time(s.pending_vote.on, event, policy, event.reason)


def _check_oath(s, timeline, event, policy, calendar):
    if s.oath_on is not None:
        raise _refuse("REC-STAGE", _("已于%(date)s入党宣誓") % {"date": _cn_date(s.oath_on)})
    return []


def _check_conversion_vote(s, timeline, event, policy, calendar):
    if s.pending_resolution is not None:
        raise _refuse(
            "REC-OUTCOME",
            _("支部大会已于%(date)s作出决议，正在等待上级党委审批")
            % {"date": _cn_date(s.pending_resolution.on)},
        )
    if event.outcome not in ProbationOutcome.values:
        raise _refuse(
            "REC-OUTCOME", _("预备期满应作出转正、延长预备期或取消预备党员资格之一的决议"), "outcome"
        )
    warnings: list[RecruitmentWarning] = []
    ends = s.probation_ends_on
    if event.outcome == ProbationOutcome.EXTEND and s.extension_months:
        raise _refuse("REC-EXTENSION", _("预备期只能延长一次"), "outcome")
    if event.outcome != ProbationOutcome.CANCEL:
        if event.on < ends:
            raise _too_early("REC-PROBATION-1Y", ends, _("讨论其转正问题"), _("预备期满"))
        late = add_months(ends, policy.conversion_vote_grace_months)
        if event.on > late:
            warnings.append(
                RecruitmentWarning(
                    "REC-PROBATION-1Y",
                    _("预备期已于%(date)s期满，支部大会应及时讨论其转正问题（REC-PROBATION-1Y）")
                    % {"date": _cn_date(ends)},
                    {"probation_ends_on": ends.isoformat()},
                )
            )
    if event.outcome == ProbationOutcome.CONVERT:
        warnings += _check_notice(s, event, policy, calendar, _("召开支部大会讨论转正"))
    _check_votes(event)
    return warnings


def _pending_outcome(s: _State, outcome: str) -> ConversionVote:
    resolution = s.pending_resolution
    if resolution is None or resolution.outcome != outcome:
        raise _refuse(
            "REC-OUTCOME",
            _("上级党委审批前，支部大会应先作出“%(outcome)s”的决议")
            % {"outcome": ProbationOutcome(outcome).label},
        )
    return resolution


def _check_conversion_approval(s, timeline, event, policy, calendar):
    resolution = _pending_outcome(s, ProbationOutcome.CONVERT)
    return _check_approval_time(resolution.on, event, policy, event.reason)


def _check_extension(s, timeline, event, policy, calendar):
    resolution = _pending_outcome(s, ProbationOutcome.EXTEND)
    low, high = policy.extension_months
    if not low <= event.months <= high:
        raise _refuse(
            "REC-EXTENSION",
            _("预备期可延长%(low)d至%(high)d个月，最长不超过一年") % {"low": low, "high": high},
            "months",
        )
    return _check_approval_time(resolution.on, event, policy, event.reason)


def _check_cancellation(s, timeline, event, policy, calendar):
    resolution = _pending_outcome(s, ProbationOutcome.CANCEL)
    return _check_approval_time(resolution.on, event, policy, event.reason)


_CHECKS: dict[str, Callable[..., list[RecruitmentWarning]]] = {
    EventKind.TALK: _check_talk,
    EventKind.ACTIVIST_DESIGNATED: _check_activist,
    EventKind.MENTORS_ASSIGNED: _check_mentors,
    EventKind.ASSESSMENT: _check_assessment,
    EventKind.CANDIDATE_DESIGNATED: _check_candidate,
    EventKind.SPONSORS_ASSIGNED: _check_sponsors,
    EventKind.POLITICAL_REVIEW: _check_nothing,
    EventKind.TRAINING_COMPLETED: _check_training,
    EventKind.PRE_REVIEW: _check_nothing,
    EventKind.PUBLIC_NOTICE: _check_notice_event,
    EventKind.BRANCH_VOTE: _check_branch_vote,
    EventKind.APPROVAL: _check_approval,
    EventKind.OATH: _check_oath,
    EventKind.CONVERSION_VOTE: _check_conversion_vote,
    EventKind.CONVERSION_APPROVAL: _check_conversion_approval,
    EventKind.PROBATION_EXTENDED: _check_extension,
    EventKind.PROBATION_CANCELLED: _check_cancellation,
}
assert set(_CHECKS) == set(EventKind.values)


# ---------------------------------------------------------------------------------------------- public


def check_event(
    timeline: Timeline, event: Event, *, policy: Policy, calendar: WorkdayCalendar
) -> list[RecruitmentWarning]:
    """Whether `event` may be added to `timeline`: raises RuleViolation for a blocked step, returns the
    warnings (warn-severity rules) otherwise."""
    s = _replay(timeline, policy)
    if event.on < s.last_on:
        first = not timeline.events
        raise RuleViolation(
            "REC-ORDER",
            (
                _("日期不能早于提出入党申请的日期（%(date)s）（REC-ORDER）")
                if first
                else _("日期不能早于上一步的日期（%(date)s）（REC-ORDER）")
            )
            % {"date": _cn_date(s.last_on)},
            field="on",
            params={"earliest_on": s.last_on.isoformat()},
        )
    if event.kind not in GRAPH[s.stage]:
        raise RuleViolation(
            "REC-STAGE",
            _("“%(stage)s”阶段不能进行“%(step)s”（REC-STAGE）")
            % {"stage": Stage(s.stage).label, "step": EventKind(event.kind).label},
            field="event",
        )
    return _CHECKS[event.kind](s, timeline, event, policy, calendar)


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
    out: list[NextStep] = []
    requires: list[str] = []

    def add(kind: str, earliest: dt.date, due: dt.date | None = None, needs: Iterable[str] = ()) -> None:
        out.append(NextStep(kind, max(earliest, floor), due, tuple(needs)))

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
            add(EventKind.TALK, timeline.applied_on, add_months(timeline.applied_on, TALK_WITHIN_MONTHS))
        after_notice = notice_for(EventKind.ACTIVIST_DESIGNATED)
        earliest = max(add_months(timeline.applied_on, policy.activist_wait_months), after_notice)
        add(EventKind.ACTIVIST_DESIGNATED, earliest, needs=requires)
    elif s.stage == Stage.ACTIVIST:
        add(EventKind.ASSESSMENT, floor, _assessment_due(s))
        need(EventKind.MENTORS_ASSIGNED, s.mentors_ok)
        after_notice = notice_for(EventKind.CANDIDATE_DESIGNATED)
        earliest = max(add_years(s.activist_on, CANDIDATE_AFTER_YEARS), after_notice)
        add(EventKind.CANDIDATE_DESIGNATED, earliest, needs=requires)
    elif s.stage == Stage.CANDIDATE:
        if s.pending_vote is not None:
            vote_on = s.pending_vote.on
            add(EventKind.APPROVAL, vote_on, add_months(vote_on, policy.approval_warn_months))
        else:
            need(EventKind.SPONSORS_ASSIGNED, s.sponsors_ok)
            need(EventKind.POLITICAL_REVIEW, s.review_passed)
            need(EventKind.TRAINING_COMPLETED, s.training_ok)
            need(EventKind.PRE_REVIEW, s.pre_review_passed)
            after_notice = notice_for(EventKind.BRANCH_VOTE)
            add(EventKind.BRANCH_VOTE, after_notice, needs=requires)
    elif s.stage == Stage.PROBATIONARY:
        resolution = s.pending_resolution
        if resolution is not None:
            kind = {
                ProbationOutcome.CONVERT: EventKind.CONVERSION_APPROVAL,
                ProbationOutcome.EXTEND: EventKind.PROBATION_EXTENDED,
                ProbationOutcome.CANCEL: EventKind.PROBATION_CANCELLED,
            }[resolution.outcome]
            add(kind, resolution.on, add_months(resolution.on, policy.approval_warn_months))
        else:
            if s.oath_on is None:
                add(EventKind.OATH, floor)
            ends = s.probation_ends_on
            after_notice = notice_for(EventKind.CONVERSION_VOTE)
            due = add_months(ends, policy.conversion_vote_grace_months)
            add(EventKind.CONVERSION_VOTE, max(ends, after_notice), due, needs=requires)
    return out
