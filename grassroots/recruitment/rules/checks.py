"""Whether one step may be added to a dossier (`check_event`), step by step; and the application itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from grassroots.core.dates import add_months, add_years, cn_date
from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import WorkdayCalendar

from ..choices import (
    ActivistSource,
    Decider,
    EventKind,
    ProbationOutcome,
    Stage,
)
from .base import (
    ASSESS_EVERY_MONTHS,
    CANDIDATE_AFTER_YEARS,
    MENTORS,
    MIN_AGE,
    SPONSORS,
    TALK_WITHIN_MONTHS,
    RecruitmentWarning,
    _refuse,
    _too_early,
)
from .events import (
    Approval,
    BranchVote,
    ConversionApproval,
    ConversionVote,
    Event,
    ProbationCancelled,
    Timeline,
)
from .graph import GRAPH
from .policy import Policy
from .replay import _check_notice, _fallback_warning, _people_problem, _replay, _State, _training_enough
from .votes import check_electorate, check_roster, check_vote


def _check_votes(s: _State, event: BranchVote | ConversionVote) -> None:
    """Whether a valid vote took place (REC-VOTERS-FULL, REC-VOTE-ONE-BY-ONE, REC-VOTE-QUORUM), on a day after
    any vote that failed before it. Its outcome (REC-VOTE-MAJORITY) is not checked here: a vote without the
    majority is recorded as failed and advances nothing (`replay`)."""
    if s.failed_vote_on is not None and event.on <= s.failed_vote_on:
        raise _too_early(
            "REC-ORDER",
            s.failed_vote_on + dt.timedelta(days=1),
            _("再次表决"),
            _("上次表决（%(date)s）未通过") % {"date": cn_date(s.failed_vote_on)},
        )
    if event.roster is not None:
        check_roster(event.roster, event.votes)
    elif event.electorate is not None:
        check_electorate(event.electorate, event.votes)
    check_vote(event.votes)


def check_application(*, birth_date: dt.date, applied_on: dt.date) -> None:
    """REC-AGE-18: an applicant is at least 18 on the application date."""
    earliest = add_years(birth_date, MIN_AGE)
    if applied_on < earliest:
        raise _too_early("REC-AGE-18", earliest, _("提出入党申请"), _("年满18周岁"), "applied_on")


def check_not_future(*, on: dt.date, today: dt.date, field: str = "on") -> None:
    """REC-NOT-FUTURE: a step (or an application) is recorded once it has happened: dated today at the latest."""
    if on > today:
        raise RuleViolation(
            "REC-NOT-FUTURE",
            _("日期%(date)s晚于今天（%(today)s），只能记录已经发生的事项（REC-NOT-FUTURE）")
            % {"date": cn_date(on), "today": cn_date(today)},
            field=field,
            params={"latest_on": today.isoformat()},
        )


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
            % {"date": cn_date(block_after), "n": policy.approval_block_months},
        )
    if not reason.strip():
        raise _refuse(
            "REC-APPROVAL-3M",
            _("审批超过%(n)d个月（应于%(date)s前作出），须记录延长审批的理由")
            % {"n": policy.approval_warn_months, "date": cn_date(warn_after)},
            "reason",
        )
    return [
        RecruitmentWarning(
            "REC-APPROVAL-3M",
            _("上级党委审批超过%(n)d个月（应于%(date)s前作出），理由：%(reason)s（REC-APPROVAL-3M）")
            % {"n": policy.approval_warn_months, "date": cn_date(warn_after), "reason": reason},
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
        _("应于%(date)s前（收到入党申请一个月内）派人谈话（REC-TALK-1M）") % {"date": cn_date(due)},
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
        _("应于%(date)s前对入党积极分子进行考察（每半年至少一次）（REC-ASSESS-6M）") % {"date": cn_date(due)},
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
    if event.starts_on > event.on:
        raise RuleViolation(
            "REC-ORDER",
            _("公示开始日期（%(start)s）不能晚于记录公示的日期（%(date)s）（REC-ORDER）")
            % {"start": cn_date(event.starts_on), "date": cn_date(event.on)},
            field="start_on",
            params={"latest_on": event.on.isoformat()},
        )
    if s.pre_review_on is not None and event.starts_on < s.pre_review_on:
        raise RuleViolation(
            "REC-ORDER",
            _("公示开始日期（%(start)s）不能早于上级党委预审的日期（%(date)s）（REC-ORDER）")
            % {"start": cn_date(event.starts_on), "date": cn_date(s.pre_review_on)},
            field="start_on",
            params={"earliest_on": s.pre_review_on.isoformat()},
        )
    if event.working_days < policy.notice_working_days:
        raise _refuse(
            "REC-NOTICE",
            _("公示期应不少于%(n)d个工作日") % {"n": policy.notice_working_days},
            "working_days",
        )
    return _fallback_warning(event.period(calendar))


def _check_branch_vote(s, timeline, event, policy, calendar):
    if s.pending_vote is not None:
        raise _refuse(
            "REC-STAGE",
            _("支部大会已于%(date)s表决，正在等待上级党委审批") % {"date": cn_date(s.pending_vote.on)},
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
    if event.sponsors_at_vote is not None and (
        _people_problem(event.sponsors_at_vote, (SPONSORS, SPONSORS), check_discipline=True) is not None
    ):
        raise _refuse(
            "REC-SPONSORS",
            _("入党介绍人在表决之日应为正式党员且未受留党察看处分：%(who)s不符合")
            % {
                "who": "、".join(
                    p.name or str(p.member_id)
                    for p in event.sponsors_at_vote
                    if not p.full or p.disciplinary_probation
                )
            },
            "sponsors",
        )
    warnings = _check_notice(s, event, policy, calendar, _("召开支部大会表决"))
    _check_votes(s, event)
    return warnings


def _check_approval(s, timeline, event, policy, calendar):
    if s.pending_vote is None:
        raise _refuse("REC-STAGE", _("尚无等待审批的支部大会决议"))
    return _check_approval_time(s.pending_vote.on, event, policy, event.reason)


def _check_oath(s, timeline, event, policy, calendar):
    if s.oath_on is not None:
        raise _refuse("REC-STAGE", _("已于%(date)s入党宣誓") % {"date": cn_date(s.oath_on)})
    return []


def _check_conversion_vote(s, timeline, event, policy, calendar):
    if s.pending_resolution is not None:
        raise _refuse(
            "REC-OUTCOME",
            _("支部大会已于%(date)s作出决议，正在等待上级党委审批")
            % {"date": cn_date(s.pending_resolution.on)},
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
                    % {"date": cn_date(ends)},
                    {"probation_ends_on": ends.isoformat()},
                )
            )
    if event.outcome == ProbationOutcome.CONVERT:
        warnings += _check_notice(s, event, policy, calendar, _("召开支部大会讨论转正"))
    _check_votes(s, event)
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
            % {"date": cn_date(s.last_on)},
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


# ---------------------------------------------------------------------------------------------- corrections


def moves_member(event: Event) -> bool:
    """Whether the step changed the member record: an approved admission (the probationary member is
    created), an approved conversion (made full), a cancelled probation (ended)."""
    if isinstance(event, Approval | ConversionApproval):
        return event.approved
    return isinstance(event, ProbationCancelled)


def check_void(*, event: Event, voided: bool, later: int, reason: str) -> None:
    """REC-VOID: a wrongly recorded step may be voided by a correction entry, with a reason, if it still
    counts (`voided` False), is the latest step that does (`later`: how many steps recorded after it still
    count; they depend on it, so they are voided first, from the latest back), and did not change the member
    record (`moves_member`: that is corrected on the member record, not by voiding the step)."""
    if voided:
        raise _refuse("REC-VOID", _("该步骤已作废"))
    if later:
        raise _refuse("REC-VOID", _("只能作废最近一个有效步骤；请先从最近的步骤起逐个作废其后的步骤"))
    if moves_member(event):
        raise _refuse(
            "REC-VOID", _("该步骤已变更党员档案（入党、转正或取消预备党员资格），不能作废，请更正党员档案")
        )
    if not reason.strip():
        raise _refuse("REC-VOID", _("请填写作废理由"), "reason")
