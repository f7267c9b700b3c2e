"""REC-* rules at their boundaries: the day before, the day, the day after; half-vote counts; public notices
across the 2026 Spring Festival and National Day holidays with their swapped working days."""

import datetime as dt

import pytest
from django.utils import translation

from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import CHINA, WeekdayCalendar
from grassroots.recruitment import rules
from grassroots.recruitment.choices import EventKind, Stage
from grassroots.recruitment.rules import (
    ActivistDesignated,
    Approval,
    Assessment,
    BranchVote,
    CandidateDesignated,
    ConversionApproval,
    ConversionVote,
    MentorsAssigned,
    Oath,
    PoliticalReview,
    PreReview,
    ProbationCancelled,
    ProbationExtended,
    PublicNotice,
    SponsorsAssigned,
    Talk,
    TrainingCompleted,
    VoteCounts,
)
from tests.support.timelines import (
    ACTIVIST,
    ADMITTED,
    APPLICANT,
    APPLIED,
    CANDIDATE,
    M1,
    M2,
    M3,
    NATIONAL_DAY_NOTICE,
    PASS,
    POLICY,
    PROBATION_ENDS,
    PROBATIONARY_MEMBER,
    UNDER_WATCH,
    VOTE_READY,
    VOTED,
    tl,
)

D = dt.date


@pytest.fixture(autouse=True)
def chinese():
    """Messages are compared in Chinese, whatever language an earlier test left active."""
    with translation.override("zh-hans"):
        yield


def check(events, event, policy=POLICY, calendar=CHINA):
    return rules.check_event(tl(*events), event, policy=policy, calendar=calendar)


def refused(events, event, policy=POLICY, calendar=CHINA):
    with pytest.raises(RuleViolation) as exc:
        check(events, event, policy, calendar)
    return exc.value


def ids(warnings):
    return [w.rule_id for w in warnings]


def vote(**kw):
    values = dict(should_attend=10, present=8, yes=7, no=1)
    values.update(kw)
    return VoteCounts(**values)


# ------------------------------------------------------------------ the stage graph


def test_graph_is_consistent_when_module_is_imported():
    assert set(rules.GRAPH) == set(Stage.values)
    assert {kind for steps in rules.GRAPH.values() for kind in steps} == set(EventKind.values)
    assert set(rules.EVENT_TYPES) == set(EventKind.values)


def graph_args(**kw):
    values = dict(
        start="a",
        terminal={"c"},
        stages={"a", "b", "c"},
        kinds={"x", "y"},
        event_types={"x": object, "y": object},
    )
    values.update(kw)
    return values


GOOD_GRAPH = {"a": {"x": "b"}, "b": {"y": "c"}, "c": {}}


def test_graph_check_passes_when_graph_is_consistent():
    rules.check_graph(GOOD_GRAPH, **graph_args())


@pytest.mark.parametrize(
    ("graph", "kw", "needle"),
    [
        ({"a": {"x": "b"}, "b": {"y": "c"}}, {}, "differ"),
        ({"a": {"x": "b"}, "b": {}, "c": {"y": "c"}}, {}, "not terminal"),
        ({"a": {"x": "b"}, "b": {"y": "c"}, "c": {"y": "c"}}, {"terminal": {"b", "c"}}, "terminal stage"),
        ({"a": {"z": "b"}, "b": {"y": "c"}, "c": {}}, {}, "unknown step"),
        ({"a": {"x": "q"}, "b": {"y": "c"}, "c": {}}, {}, "unknown stage"),
        ({"a": {"x": "b"}, "b": {"x": "c"}, "c": {}}, {}, "never allowed"),
        (GOOD_GRAPH, {"event_types": {"x": object}}, "without an event type"),
        ({"a": {"x": "a"}, "b": {"y": "c"}, "c": {}}, {}, "not reachable"),
    ],
)
def test_graph_check_raises_when_graph_is_inconsistent(graph, kw, needle):
    with pytest.raises(rules.StageGraphError, match=needle):
        rules.check_graph(graph, **graph_args(**kw))


@pytest.mark.parametrize(
    ("kw"),
    [
        {"extension_months": (0, 12)},
        {"extension_months": (6, 13)},
        {"extension_months": (12, 6)},
        {"notice_before": frozenset({EventKind.TALK})},
        {"approval_warn_months": 7},
        {"notice_working_days": 0},
    ],
)
def test_policy_raises_when_values_are_inconsistent(kw):
    with pytest.raises(ValueError):
        rules.Policy(**kw)


def test_stage_follows_graph_when_steps_are_replayed():
    assert rules.stage_of(tl(*APPLICANT)) == Stage.APPLICANT
    assert rules.stage_of(tl(*ACTIVIST)) == Stage.ACTIVIST
    assert rules.stage_of(tl(*VOTED)) == Stage.CANDIDATE
    assert rules.stage_of(tl(*ADMITTED)) == Stage.PROBATIONARY


def test_stage_refuses_step_when_graph_does_not_allow_it():
    err = refused(APPLICANT, CandidateDesignated(on=D(2026, 1, 6)))
    assert err.rule_id == "REC-STAGE"
    assert "入党申请人" in str(err.message) and "确定为发展对象" in str(err.message)


def test_stage_refuses_step_when_dossier_is_closed():
    converted = (
        *ADMITTED,
        ConversionVote(on=PROBATION_ENDS, votes=PASS),
        ConversionApproval(on=PROBATION_ENDS),
    )
    assert refused(converted, Oath(on=PROBATION_ENDS)).rule_id == "REC-STAGE"


def test_with_event_appends_when_timeline_grows():
    assert tl().with_event(Talk(on=APPLIED)).events == (Talk(on=APPLIED),)


def test_payload_fields_name_the_api_body_when_listed():
    assert rules.PAYLOAD_FIELDS[EventKind.PUBLIC_NOTICE] == ("working_days", "start_on")
    assert rules.PAYLOAD_FIELDS[EventKind.TALK] == ()


# ------------------------------------------------------------------ REC-ORDER (project)


def test_order_refuses_step_when_dated_before_application():
    err = refused(APPLICANT, Talk(on=APPLIED - dt.timedelta(days=1)))
    assert err.rule_id == "REC-ORDER"
    assert "提出入党申请" in str(err.message)


@pytest.mark.parametrize(("day", "ok"), [(D(2025, 12, 30), False), (D(2025, 12, 31), True)])
def test_order_refuses_step_when_dated_before_previous_step(day, ok):
    if ok:
        check(ACTIVIST, Assessment(on=day))
    else:
        err = refused(ACTIVIST, Assessment(on=day))
        assert err.rule_id == "REC-ORDER"
        assert err.params == {"earliest_on": "2025-12-31"}


# ------------------------------------------------------------------ REC-AGE-18


@pytest.mark.parametrize(
    ("birth", "applied", "ok"),
    [
        (D(2007, 3, 1), D(2025, 2, 28), False),
        (D(2007, 3, 1), D(2025, 3, 1), True),
        (D(2007, 3, 1), D(2025, 3, 2), True),
        (D(2008, 2, 29), D(2026, 2, 27), False),
        (D(2008, 2, 29), D(2026, 2, 28), True),
    ],
)
def test_age_18_refuses_application_when_applicant_is_under_18(birth, applied, ok):
    if ok:
        rules.check_application(birth_date=birth, applied_on=applied)
        return
    with pytest.raises(RuleViolation) as exc:
        rules.check_application(birth_date=birth, applied_on=applied)
    assert exc.value.rule_id == "REC-AGE-18"
    assert exc.value.field == "applied_on"
    assert "（REC-AGE-18：年满18周岁）" in str(exc.value.message)


# ------------------------------------------------------------------ REC-TALK-1M


@pytest.mark.parametrize(
    ("day", "warned"), [(D(2025, 2, 5), False), (D(2025, 2, 6), False), (D(2025, 2, 7), True)]
)
def test_talk_1m_warns_when_first_talk_is_later_than_one_month(day, warned):
    assert ("REC-TALK-1M" in ids(check(APPLICANT, Talk(on=day)))) is warned


def test_talk_1m_does_not_warn_when_a_later_talk_follows_a_timely_one():
    assert check((Talk(on=APPLIED),), Talk(on=D(2025, 6, 1))) == []


def test_talk_1m_warns_when_activist_is_designated_without_a_talk():
    warnings = check(APPLICANT, ActivistDesignated(on=D(2025, 1, 7), source="member_recommendation"))
    assert ids(warnings) == ["REC-TALK-1M"]
    assert warnings[0].params == {"due_by": "2025-02-06"}


# ------------------------------------------------------------------ REC-ACTIVIST-WAIT


def test_activist_wait_allows_same_day_when_policy_is_zero_months():
    assert check((Talk(on=APPLIED),), ActivistDesignated(on=APPLIED, source="member_recommendation")) == []


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2025, 7, 5), False), (D(2025, 7, 6), True), (D(2025, 7, 7), True)]
)
def test_activist_wait_refuses_designation_when_policy_months_have_not_passed(day, ok):
    policy = rules.Policy(activist_wait_months=6)
    event = ActivistDesignated(on=day, source="youth_league_recommendation")
    if ok:
        assert check((Talk(on=APPLIED),), event, policy) == []
    else:
        err = refused((Talk(on=APPLIED),), event, policy)
        assert err.rule_id == "REC-ACTIVIST-WAIT"
        expected = "最早可于 2025年7月6日 确定为入党积极分子（REC-ACTIVIST-WAIT：提出入党申请满6个月）"
        assert str(err.message) == expected


# ------------------------------------------------------------------ REC-ACTIVIST-SOURCE


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"source": "self"}, "source"),
        ({"decided_by": "secretary"}, "decided_by"),
        ({"decided_by": "general_meeting", "branch_has_committee": True}, "decided_by"),
        ({"filed_with_upper": False}, "filed_with_upper"),
    ],
)
def test_activist_source_refuses_designation_when_source_or_decider_is_wrong(kw, field):
    values = {"source": "member_recommendation", **kw}
    err = refused((Talk(on=APPLIED),), ActivistDesignated(on=APPLIED, **values))
    assert (err.rule_id, err.field) == ("REC-ACTIVIST-SOURCE", field)


def test_activist_source_allows_general_meeting_when_branch_has_no_committee():
    event = ActivistDesignated(
        on=APPLIED, source="member_recommendation", decided_by="general_meeting", branch_has_committee=False
    )
    assert check((Talk(on=APPLIED),), event) == []


# ------------------------------------------------------------------ REC-MENTORS


@pytest.mark.parametrize(
    ("mentors", "ok"),
    [
        ((), False),
        ((M1,), True),
        ((M1, M2), True),
        ((M1, M2, M3), False),
        ((M1, M1), False),
        ((M1, PROBATIONARY_MEMBER), False),
    ],
)
def test_mentors_refuses_assignment_when_not_one_or_two_full_members(mentors, ok):
    event = MentorsAssigned(on=D(2026, 1, 5), mentors=mentors)
    if ok:
        assert check(ACTIVIST, event) == []
    else:
        assert refused(ACTIVIST, event).rule_id == "REC-MENTORS"


def test_mentors_refuses_candidate_when_no_mentor_is_assigned():
    no_mentors = tuple(e for e in ACTIVIST if not isinstance(e, MentorsAssigned))
    err = refused(no_mentors, CandidateDesignated(on=D(2026, 1, 6)))
    assert (err.rule_id, err.field) == ("REC-MENTORS", "mentors")


# ------------------------------------------------------------------ REC-ASSESS-6M


@pytest.mark.parametrize(
    ("day", "warned"), [(D(2025, 7, 5), False), (D(2025, 7, 6), False), (D(2025, 7, 7), True)]
)
def test_assess_6m_warns_when_assessment_is_more_than_six_months_after_designation(day, warned):
    assert ("REC-ASSESS-6M" in ids(check(ACTIVIST[:3], Assessment(on=day)))) is warned


def test_assess_6m_counts_from_last_assessment_when_there_is_one():
    assert ids(check(ACTIVIST[:4], Assessment(on=D(2026, 1, 2)))) == ["REC-ASSESS-6M"]


def test_assess_6m_warns_when_candidate_is_designated_after_a_gap():
    warnings = check(ACTIVIST[:4], CandidateDesignated(on=D(2026, 1, 6)))
    assert ids(warnings) == ["REC-ASSESS-6M"]
    assert warnings[0].params == {"due_by": "2026-01-01"}


# ------------------------------------------------------------------ REC-CANDIDATE-1Y


@pytest.mark.parametrize(
    ("day", "ok"), [(D(2026, 1, 5), False), (D(2026, 1, 6), True), (D(2026, 1, 7), True)]
)
def test_candidate_1y_refuses_designation_when_activist_year_is_not_complete(day, ok):
    if ok:
        assert check(ACTIVIST, CandidateDesignated(on=day)) == []
    else:
        err = refused(ACTIVIST, CandidateDesignated(on=day))
        assert err.rule_id == "REC-CANDIDATE-1Y"
        assert (
            str(err.message)
            == "最早可于 2026年1月6日 确定为发展对象（REC-CANDIDATE-1Y：确定为积极分子满一年）"
        )
        assert err.params == {"earliest_on": "2026-01-06"}


# ------------------------------------------------------------------ REC-SPONSORS


@pytest.mark.parametrize(
    ("sponsors", "ok"),
    [
        ((M1,), False),
        ((M1, M2), True),
        ((M1, M2, M3), False),
        ((M1, M1), False),
        ((M1, PROBATIONARY_MEMBER), False),
        ((M1, UNDER_WATCH), False),
    ],
)
def test_sponsors_refuses_assignment_when_not_two_full_members_in_good_standing(sponsors, ok):
    event = SponsorsAssigned(on=D(2026, 1, 12), sponsors=sponsors)
    if ok:
        assert check(CANDIDATE, event) == []
    else:
        assert refused(CANDIDATE, event).rule_id == "REC-SPONSORS"


def without(events, cls):
    return tuple(e for e in events if not isinstance(e, cls))


FIRST_LAWFUL_VOTE = D(2026, 10, 10)


def vote_on(day=FIRST_LAWFUL_VOTE, votes=PASS):
    return BranchVote(on=day, votes=votes)


@pytest.mark.parametrize(
    ("removed", "rule_id"),
    [
        (SponsorsAssigned, "REC-SPONSORS"),
        (PoliticalReview, "REC-REVIEW"),
        (TrainingCompleted, "REC-TRAINING"),
        (PreReview, "REC-PRE-REVIEW"),
    ],
)
def test_vote_refused_when_a_prerequisite_is_missing(removed, rule_id):
    events = (*without(CANDIDATE, removed), NATIONAL_DAY_NOTICE)
    assert refused(events, vote_on()).rule_id == rule_id


def test_sponsors_refuses_vote_when_a_sponsor_was_invalid():
    events = (*CANDIDATE, NATIONAL_DAY_NOTICE)
    # A later assignment that was refused would not be recorded; a replayed invalid one counts as none.
    bad = SponsorsAssigned(on=D(2026, 9, 28), sponsors=(M1, UNDER_WATCH))
    assert refused((*events, bad), vote_on()).rule_id == "REC-SPONSORS"


# ------------------------------------------------------------------ REC-REVIEW, REC-PRE-REVIEW


def test_review_refuses_vote_when_latest_conclusion_is_unfavourable():
    events = (*CANDIDATE, PoliticalReview(on=D(2026, 9, 1), passed=False), NATIONAL_DAY_NOTICE)
    err = refused(events, vote_on())
    assert (err.rule_id, err.field) == ("REC-REVIEW", "political_review")


@pytest.mark.parametrize("step", [PoliticalReview, PreReview])
def test_review_records_unfavourable_conclusion_when_it_is_reached(step):
    assert check(CANDIDATE, step(on=D(2026, 9, 1), passed=False)) == []


def test_pre_review_refuses_vote_when_pre_review_failed():
    events = (*CANDIDATE, PreReview(on=D(2026, 9, 1), passed=False), NATIONAL_DAY_NOTICE)
    assert refused(events, vote_on()).rule_id == "REC-PRE-REVIEW"


# ------------------------------------------------------------------ REC-TRAINING


@pytest.mark.parametrize(
    ("days", "hours", "enough"),
    [(2, 23, False), (3, 0, True), (0, 24, True), (2, 24, True), (4, 0, True)],
)
def test_training_warns_and_does_not_count_when_below_three_days_or_24_hours(days, hours, enough):
    events = without(CANDIDATE, TrainingCompleted)
    warnings = check(events, TrainingCompleted(on=D(2026, 9, 1), days=days, hours=hours))
    assert ("REC-TRAINING" in ids(warnings)) is not enough
    recorded = (*events, TrainingCompleted(on=D(2026, 9, 1), days=days, hours=hours), NATIONAL_DAY_NOTICE)
    if enough:
        check(recorded, vote_on())
    else:
        assert refused(recorded, vote_on()).rule_id == "REC-TRAINING"


def test_training_refuses_record_when_counts_are_negative():
    assert refused(CANDIDATE, TrainingCompleted(on=D(2026, 9, 1), days=-1)).rule_id == "REC-TRAINING"


def test_training_follows_policy_when_policy_sets_other_thresholds():
    policy = rules.Policy(training_days=5, training_hours=40)
    assert ids(check(CANDIDATE, TrainingCompleted(on=D(2026, 9, 1), days=4), policy)) == ["REC-TRAINING"]


# ------------------------------------------------------------------ REC-NOTICE


@pytest.mark.parametrize(
    ("day", "ok"),
    [(D(2026, 10, 8), False), (D(2026, 10, 9), False), (D(2026, 10, 10), True), (D(2026, 10, 12), True)],
)
def test_notice_refuses_vote_when_national_day_notice_has_not_ended(day, ok):
    events = (*CANDIDATE, NATIONAL_DAY_NOTICE)
    if ok:
        assert check(events, vote_on(day)) == []
    else:
        err = refused(events, vote_on(day))
        assert err.rule_id == "REC-NOTICE"
        assert (
            str(err.message) == "最早可于 2026年10月10日 召开支部大会表决（REC-NOTICE：公示期满5个工作日后）"
        )


@pytest.mark.parametrize(("day", "ok"), [(D(2026, 2, 25), False), (D(2026, 2, 26), True)])
def test_notice_counts_swapped_saturday_when_spanning_spring_festival(day, ok):
    # 12, 13, 14 (Saturday, worked), 24, 25 February 2026.
    events = (*CANDIDATE, PublicNotice(on=D(2026, 2, 12), working_days=5))
    if ok:
        assert check(events, vote_on(day)) == []
    else:
        assert refused(events, vote_on(day)).params == {"earliest_on": "2026-02-26"}


def test_notice_starts_on_next_workday_when_posted_on_a_holiday():
    # Posted on 3 October: 8, 9, 10 (Saturday, worked), 12, 13 October.
    events = (*CANDIDATE, PublicNotice(on=D(2026, 10, 3), working_days=5))
    assert refused(events, vote_on(D(2026, 10, 13))).params == {"earliest_on": "2026-10-14"}
    assert check(events, vote_on(D(2026, 10, 14))) == []


def test_notice_uses_start_on_when_recorded_after_it_began():
    notice = PublicNotice(on=D(2026, 10, 9), start_on=D(2026, 9, 28), working_days=5)
    assert check((*CANDIDATE, notice), vote_on(D(2026, 10, 10))) == []


def test_notice_refuses_vote_when_there_is_no_notice():
    err = refused(CANDIDATE, vote_on())
    assert err.rule_id == "REC-NOTICE"
    assert "不少于5个工作日" in str(err.message)


@pytest.mark.parametrize(("working_days", "ok"), [(4, False), (5, True), (6, True)])
def test_notice_refuses_notice_when_shorter_than_policy(working_days, ok):
    notice = PublicNotice(on=D(2026, 9, 28), working_days=working_days)
    if ok:
        assert check(CANDIDATE, notice) == []
    else:
        err = refused(CANDIDATE, notice)
        assert (err.rule_id, err.field) == ("REC-NOTICE", "working_days")


def test_notice_warns_fallback_when_notice_runs_into_unknown_year():
    notice = PublicNotice(on=D(2026, 12, 29), working_days=5)
    warnings = check(CANDIDATE, notice)
    assert ids(warnings) == ["CAL-WORKDAY"]
    assert warnings[0].params == {"end": "2027-01-04", "fallback": True}
    assert ids(check((*CANDIDATE, notice), vote_on(D(2027, 1, 5)))) == ["CAL-WORKDAY"]


def test_notice_is_required_before_activist_when_policy_says_so():
    policy = rules.Policy(notice_before=frozenset({EventKind.ACTIVIST_DESIGNATED, EventKind.BRANCH_VOTE}))
    event = ActivistDesignated(on=D(2025, 1, 20), source="member_recommendation")
    assert refused((Talk(on=APPLIED),), event, policy).rule_id == "REC-NOTICE"
    notice = PublicNotice(on=D(2025, 1, 7), working_days=5)  # 7–13 January 2025
    assert check((Talk(on=APPLIED), notice), event, policy) == []


def test_notice_is_required_before_candidate_when_policy_says_so():
    policy = rules.Policy(notice_before=frozenset({EventKind.CANDIDATE_DESIGNATED}))
    assert refused(ACTIVIST, CandidateDesignated(on=D(2026, 1, 6)), policy).rule_id == "REC-NOTICE"


def test_notice_of_previous_stage_does_not_count_when_stage_changed():
    policy = rules.Policy(notice_before=frozenset({EventKind.CANDIDATE_DESIGNATED, EventKind.BRANCH_VOTE}))
    notice = PublicNotice(on=D(2025, 12, 31), working_days=5)
    events = (*ACTIVIST, notice, *CANDIDATE[len(ACTIVIST) :])
    assert check((*ACTIVIST, notice), CandidateDesignated(on=D(2026, 1, 9)), policy) == []
    assert refused(events, vote_on(), policy).rule_id == "REC-NOTICE"


def test_notice_is_not_required_when_policy_drops_it():
    assert check(CANDIDATE, vote_on(), rules.Policy(notice_before=frozenset())) == []


# ------------------------------------------------------------------ REC-VOTE-*, REC-VOTERS-FULL


@pytest.mark.parametrize(("present", "ok"), [(5, False), (6, True)])
def test_vote_quorum_refuses_vote_when_present_is_not_more_than_half_of_should_attend(present, ok):
    votes = vote(present=present, yes=present, no=0)
    if ok:
        assert rules.vote_passed(votes)
        check(VOTE_READY, vote_on(votes=votes))
    else:
        assert not rules.vote_passed(votes)
        err = refused(VOTE_READY, vote_on(votes=votes))
        assert (err.rule_id, err.field) == ("REC-VOTE-QUORUM", "present")


@pytest.mark.parametrize(("yes", "ok"), [(5, False), (6, True)])
def test_vote_majority_fails_vote_when_yes_is_not_more_than_half_of_should_attend(yes, ok):
    votes = vote(present=10, yes=yes, no=10 - yes)
    check(VOTE_READY, vote_on(votes=votes))  # a valid vote: recorded whatever its outcome
    assert rules.majority_reached(votes) is ok
    assert vote_on(votes=votes).passed is ok


def test_vote_majority_counts_should_attend_when_most_present_vote_yes():
    # 6 of 8 present vote yes: a majority of those present, not of the 14 who should attend.
    votes = vote(should_attend=14, present=8, yes=6, no=2)
    assert check(VOTE_READY, vote_on(votes=votes)) == []
    assert not rules.vote_passed(votes)


def test_failed_vote_advances_nothing_and_no_approval_may_follow_it():
    failed = vote_on(votes=vote(present=10, yes=5, no=5))
    after = (*VOTE_READY, failed)
    assert rules.stage_of(tl(*after)) == Stage.CANDIDATE
    assert rules.derived_dates(tl(*after)).admitted_on is None
    err = refused(after, Approval(on=failed.on + dt.timedelta(days=3)))
    assert err.rule_id == "REC-STAGE"
    nxt = rules.next_steps(tl(*after), policy=POLICY, calendar=CHINA)
    assert [(s.event, s.earliest_on) for s in nxt] == [
        (EventKind.BRANCH_VOTE, failed.on + dt.timedelta(days=1))
    ]


def test_failed_vote_may_be_followed_by_a_vote_on_a_later_day_only():
    failed = vote_on(votes=vote(present=10, yes=5, no=5))
    after = (*VOTE_READY, failed)
    err = refused(after, vote_on(day=failed.on))
    assert (err.rule_id, err.params["earliest_on"]) == (
        "REC-ORDER",
        (failed.on + dt.timedelta(days=1)).isoformat(),
    )
    later = vote_on(day=failed.on + dt.timedelta(days=1))
    assert check(after, later) == []
    assert rules.stage_of(tl(*after, later, Approval(on=later.on))) == Stage.PROBATIONARY
    assert rules.derived_dates(tl(*after, later, Approval(on=later.on))).admitted_on == later.on


def test_failed_conversion_vote_resolves_nothing_and_may_be_put_again_later():
    failed = ConversionVote(on=PROBATION_ENDS, votes=vote(present=10, yes=5, no=5))
    after = (*ADMITTED, failed)
    assert refused(after, ConversionApproval(on=PROBATION_ENDS)).rule_id == "REC-OUTCOME"
    nxt = rules.next_steps(tl(*after), policy=POLICY, calendar=CHINA)
    conversion = [s for s in nxt if s.event == EventKind.CONVERSION_VOTE]
    assert conversion[0].earliest_on == PROBATION_ENDS + dt.timedelta(days=1)
    later = ConversionVote(on=PROBATION_ENDS + dt.timedelta(days=1), votes=PASS)
    check(after, later)
    assert rules.stage_of(tl(*after, later, ConversionApproval(on=later.on))) == Stage.FULL


@pytest.mark.parametrize(("written", "rule_id"), [(0, "REC-VOTE-QUORUM"), (5, "REC-VOTE-QUORUM")])
def test_written_opinions_never_count_toward_the_quorum(written, rule_id):
    # 5 of 10 present: no quorum, however many absent members wrote yes.
    votes = vote(present=5, yes=5, no=0, written_yes=written)
    assert refused(VOTE_READY, vote_on(votes=votes)).rule_id == rule_id
    assert not rules.vote_passed(votes)


@pytest.mark.parametrize(
    ("electorate", "should_attend", "ok"),
    [
        ((M1, M2, M3), 3, True),
        ((M1, M2, M3), 2, False),
        ((M1, M2, UNDER_WATCH), 2, True),
        ((M1, M2, UNDER_WATCH), 3, False),
    ],
)
def test_count_only_vote_should_attend_is_the_electorate_less_those_under_disciplinary_probation(
    electorate, should_attend, ok
):
    votes = vote(should_attend=should_attend, present=2, yes=2, no=0)
    event = BranchVote(on=FIRST_LAWFUL_VOTE, votes=votes, electorate=electorate)
    if ok:
        assert check(VOTE_READY, event) == []
    else:
        err = refused(VOTE_READY, event)
        assert (err.rule_id, err.field) == ("REC-VOTERS-FULL", "should_attend")


@pytest.mark.parametrize(
    ("sponsors", "ok"),
    [((M1, M2), True), ((M1, UNDER_WATCH), False), ((M1, PROBATIONARY_MEMBER), False), ((M1,), False)],
)
def test_sponsors_are_rechecked_on_the_vote_date(sponsors, ok):
    event = BranchVote(on=FIRST_LAWFUL_VOTE, votes=PASS, sponsors_at_vote=sponsors)
    if ok:
        assert check(VOTE_READY, event) == []
    else:
        err = refused(VOTE_READY, event)
        assert (err.rule_id, err.field) == ("REC-SPONSORS", "sponsors")


@pytest.mark.parametrize(("written", "ok"), [(1, False), (2, True)])
def test_vote_majority_counts_written_yes_when_submitted_by_absent_members(written, ok):
    votes = vote(present=6, yes=4, no=2, written_yes=written)
    assert rules.vote_passed(votes) is ok


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"present": 11, "yes": 11, "no": 0}, "present"),
        ({"yes": 8, "no": 1}, "yes"),
        ({"present": 8, "written_yes": 3}, "written_yes"),
        ({"no": -1}, "should_attend"),
        ({"should_attend": 0, "present": 0, "yes": 0, "no": 0}, "should_attend"),
    ],
)
def test_voters_full_refuses_vote_when_counts_are_inconsistent(kw, field):
    err = refused(VOTE_READY, vote_on(votes=vote(**kw)))
    assert (err.rule_id, err.field) == ("REC-VOTERS-FULL", field)


def test_vote_one_by_one_refuses_vote_when_it_covers_several_candidates():
    assert refused(VOTE_READY, vote_on(votes=vote(candidates=2))).rule_id == "REC-VOTE-ONE-BY-ONE"


def test_stage_refuses_second_vote_when_one_awaits_approval():
    assert refused(VOTED, vote_on(D(2026, 10, 12))).rule_id == "REC-STAGE"


# ------------------------------------------------------------------ REC-APPROVAL-3M


def test_stage_refuses_approval_when_there_is_no_vote():
    assert refused(VOTE_READY, Approval(on=D(2026, 10, 20))).rule_id == "REC-STAGE"


@pytest.mark.parametrize(
    ("day", "reason", "outcome"),
    [
        (D(2027, 1, 9), "", "ok"),
        (D(2027, 1, 10), "", "ok"),
        (D(2027, 1, 11), "", "block"),
        (D(2027, 1, 11), "材料补正", "warn"),
        (D(2027, 4, 10), "材料补正", "warn"),
        (D(2027, 4, 11), "材料补正", "block"),
    ],
)
def test_approval_3m_warns_after_three_months_and_refuses_after_six_when_late(day, reason, outcome):
    event = Approval(on=day, reason=reason)
    if outcome == "block":
        assert refused(VOTED, event).rule_id == "REC-APPROVAL-3M"
    else:
        assert ids(check(VOTED, event)) == (["REC-APPROVAL-3M"] if outcome == "warn" else [])


def test_approval_3m_asks_for_reason_when_over_three_months_without_one():
    err = refused(VOTED, Approval(on=D(2027, 1, 11)))
    assert err.field == "reason"


def test_refused_approval_keeps_candidate_when_upper_committee_says_no():
    events = (*VOTED, Approval(on=D(2026, 10, 20), approved=False))
    dates = rules.derived_dates(tl(*events))
    assert (dates.stage, dates.admitted_on) == (Stage.CANDIDATE, None)
    assert check(events, vote_on(D(2026, 11, 2))) == []


# ------------------------------------------------------------------ oath


def test_stage_refuses_second_oath_when_already_sworn():
    events = (*ADMITTED, Oath(on=D(2026, 10, 21)))
    assert check(ADMITTED, Oath(on=D(2026, 10, 21))) == []
    assert refused(events, Oath(on=D(2026, 10, 22))).rule_id == "REC-STAGE"


# ------------------------------------------------------------------ REC-PROBATION-1Y


def conversion(day=PROBATION_ENDS, outcome="convert", votes=PASS):
    return ConversionVote(on=day, votes=votes, outcome=outcome)


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        (D(2027, 10, 9), "block"),
        (D(2027, 10, 10), "ok"),
        (D(2027, 10, 11), "ok"),
        (D(2027, 11, 10), "ok"),
        (D(2027, 11, 11), "warn"),
    ],
)
def test_probation_1y_refuses_conversion_before_end_and_warns_when_late(day, outcome):
    if outcome == "block":
        err = refused(ADMITTED, conversion(day))
        assert err.rule_id == "REC-PROBATION-1Y"
        assert str(err.message) == "最早可于 2027年10月10日 讨论其转正问题（REC-PROBATION-1Y：预备期满）"
    else:
        assert ids(check(ADMITTED, conversion(day))) == (["REC-PROBATION-1Y"] if outcome == "warn" else [])


def test_probation_1y_applies_vote_rules_when_branch_votes_on_conversion():
    assert refused(ADMITTED, conversion(votes=vote(present=5, yes=5, no=0))).rule_id == "REC-VOTE-QUORUM"


def test_notice_is_required_before_conversion_when_policy_says_so():
    policy = rules.Policy(notice_before=frozenset({EventKind.BRANCH_VOTE, EventKind.CONVERSION_VOTE}))
    assert refused(ADMITTED, conversion(), policy).rule_id == "REC-NOTICE"
    notice = PublicNotice(on=D(2027, 9, 27), working_days=5)
    assert ids(check((*ADMITTED, notice), conversion(), policy)) == ["CAL-WORKDAY"]


# ------------------------------------------------------------------ REC-OUTCOME, REC-EXTENSION

CONVERSION_VOTED = (*ADMITTED, conversion())


def test_outcome_refuses_approval_when_branch_has_not_resolved():
    err = refused(ADMITTED, ConversionApproval(on=PROBATION_ENDS))
    assert err.rule_id == "REC-OUTCOME"
    assert "按期转正" in str(err.message)


def test_outcome_refuses_second_resolution_when_one_awaits_approval():
    assert refused(CONVERSION_VOTED, conversion(D(2027, 10, 12))).rule_id == "REC-OUTCOME"


def test_outcome_refuses_resolution_when_outcome_is_unknown():
    assert refused(ADMITTED, conversion(outcome="defer")).rule_id == "REC-OUTCOME"


@pytest.mark.parametrize(
    ("resolved", "step"),
    [
        ("convert", ProbationExtended(on=D(2027, 10, 20), months=6)),
        ("extend", ConversionApproval(on=D(2027, 10, 20))),
        ("extend", ProbationCancelled(on=D(2027, 10, 20))),
    ],
)
def test_outcome_refuses_approval_when_it_does_not_match_the_resolution(resolved, step):
    assert refused((*ADMITTED, conversion(outcome=resolved)), step).rule_id == "REC-OUTCOME"


def test_outcome_converts_on_end_of_probation_when_approved():
    events = (*CONVERSION_VOTED, ConversionApproval(on=D(2027, 11, 30)))
    assert check(CONVERSION_VOTED, ConversionApproval(on=D(2027, 11, 30))) == []
    dates = rules.derived_dates(tl(*events))
    assert dates == rules.DerivedDates(
        stage=Stage.FULL,
        admitted_on=D(2026, 10, 10),
        converted_on=PROBATION_ENDS,
        probation_ends_on=PROBATION_ENDS,
    )


def test_outcome_keeps_probation_when_conversion_is_not_approved():
    events = (*CONVERSION_VOTED, ConversionApproval(on=D(2027, 11, 30), approved=False))
    assert rules.derived_dates(tl(*events)).stage == Stage.PROBATIONARY
    assert ids(check(events, conversion(D(2027, 12, 1)))) == ["REC-PROBATION-1Y"]


def test_outcome_allows_cancellation_when_probation_has_not_ended():
    events = (*ADMITTED, conversion(D(2027, 3, 1), outcome="cancel"))
    assert check(ADMITTED, conversion(D(2027, 3, 1), outcome="cancel")) == []
    assert check(events, ProbationCancelled(on=D(2027, 3, 10))) == []
    final = rules.derived_dates(tl(*events, ProbationCancelled(on=D(2027, 3, 10))))
    assert (final.stage, final.converted_on) == (Stage.CANCELLED, None)


def test_approval_3m_applies_when_cancellation_is_approved_late():
    events = (*ADMITTED, conversion(D(2027, 3, 1), outcome="cancel"))
    assert refused(events, ProbationCancelled(on=D(2027, 9, 2))).rule_id == "REC-APPROVAL-3M"


def test_approval_3m_applies_when_conversion_is_approved_late():
    assert ids(check(CONVERSION_VOTED, ConversionApproval(on=D(2028, 1, 11), reason="外出"))) == [
        "REC-APPROVAL-3M"
    ]


EXTEND_VOTED = (*ADMITTED, conversion(outcome="extend"))


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_refuses_months_when_outside_six_to_twelve(months, ok):
    event = ProbationExtended(on=D(2027, 10, 20), months=months)
    if ok:
        assert check(EXTEND_VOTED, event) == []
    else:
        err = refused(EXTEND_VOTED, event)
        assert (err.rule_id, err.field) == ("REC-EXTENSION", "months")


def test_extension_refuses_second_extension_when_probation_was_extended():
    events = (*EXTEND_VOTED, ProbationExtended(on=D(2027, 10, 20), months=6))
    assert refused(events, conversion(D(2028, 4, 10), outcome="extend")).rule_id == "REC-EXTENSION"


def test_extension_moves_end_of_probation_when_approved():
    events = (*EXTEND_VOTED, ProbationExtended(on=D(2027, 10, 20), months=6))
    assert rules.derived_dates(tl(*events)).probation_ends_on == D(2028, 4, 10)
    assert refused(events, conversion(D(2028, 4, 9))).params == {"earliest_on": "2028-04-10"}
    converted = (*events, conversion(D(2028, 4, 10)), ConversionApproval(on=D(2028, 4, 20)))
    assert rules.derived_dates(tl(*converted)).converted_on == D(2028, 4, 10)


def test_extension_refuses_extension_when_probation_has_not_ended():
    assert refused(ADMITTED, conversion(D(2027, 10, 9), outcome="extend")).rule_id == "REC-PROBATION-1Y"


# ------------------------------------------------------------------ REC-DATES


def test_dates_are_empty_when_applicant_has_just_applied():
    assert rules.derived_dates(tl()) == rules.DerivedDates(Stage.APPLICANT, None, None, None)


def test_dates_admit_on_vote_date_when_approval_comes_later():
    dates = rules.derived_dates(tl(*ADMITTED))
    assert (dates.admitted_on, dates.probation_ends_on, dates.converted_on) == (
        D(2026, 10, 10),
        PROBATION_ENDS,
        None,
    )


def test_dates_end_probation_on_28_february_when_admitted_on_29_february():
    events = (
        *CANDIDATE,
        PublicNotice(on=D(2028, 2, 14), working_days=5),
        BranchVote(on=D(2028, 2, 29), votes=PASS),
        Approval(on=D(2028, 3, 10)),
    )
    assert rules.derived_dates(tl(*events)).probation_ends_on == D(2029, 2, 28)


# ------------------------------------------------------------------ next_steps


def steps(events, policy=POLICY, calendar=CHINA):
    return {s.event: s for s in rules.next_steps(tl(*events), policy=policy, calendar=calendar)}


def test_next_steps_list_talk_and_activist_when_applicant():
    out = steps(APPLICANT)
    assert out[EventKind.TALK] == rules.NextStep(
        EventKind.TALK, APPLIED, D(2025, 2, 6), rule_id="REC-TALK-1M"
    )
    assert out[EventKind.ACTIVIST_DESIGNATED].earliest_on == APPLIED


def test_next_steps_wait_for_policy_months_when_applicant():
    out = steps((Talk(on=APPLIED),), rules.Policy(activist_wait_months=6))
    assert EventKind.TALK not in out
    assert out[EventKind.ACTIVIST_DESIGNATED].earliest_on == D(2025, 7, 6)


def test_next_steps_require_notice_when_policy_asks_before_activist():
    policy = rules.Policy(notice_before=frozenset({EventKind.ACTIVIST_DESIGNATED}))
    out = steps((Talk(on=APPLIED),), policy)
    assert out[EventKind.ACTIVIST_DESIGNATED].requires == (EventKind.PUBLIC_NOTICE,)
    out = steps((Talk(on=APPLIED), PublicNotice(on=D(2025, 1, 7), working_days=5)), policy)
    assert out[EventKind.ACTIVIST_DESIGNATED] == rules.NextStep(EventKind.ACTIVIST_DESIGNATED, D(2025, 1, 14))


def test_next_steps_list_assessment_and_candidate_when_activist():
    out = steps(ACTIVIST)
    assert out[EventKind.ASSESSMENT].due_by == D(2026, 6, 30)
    assert out[EventKind.ASSESSMENT].rule_id == "REC-ASSESS-6M"
    assert out[EventKind.CANDIDATE_DESIGNATED] == rules.NextStep(
        EventKind.CANDIDATE_DESIGNATED, D(2026, 1, 6)
    )
    assert EventKind.MENTORS_ASSIGNED not in out


def test_next_steps_require_mentors_when_activist_has_none():
    out = steps(ACTIVIST[:2])
    assert out[EventKind.ASSESSMENT].due_by == D(2025, 7, 6)
    assert out[EventKind.CANDIDATE_DESIGNATED].requires == (EventKind.MENTORS_ASSIGNED,)


def test_next_steps_list_missing_prerequisites_when_candidate():
    out = steps(ACTIVIST + CANDIDATE[len(ACTIVIST) : len(ACTIVIST) + 1])
    assert out[EventKind.BRANCH_VOTE].requires == (
        EventKind.SPONSORS_ASSIGNED,
        EventKind.POLITICAL_REVIEW,
        EventKind.TRAINING_COMPLETED,
        EventKind.PRE_REVIEW,
        EventKind.PUBLIC_NOTICE,
    )


def test_next_steps_give_vote_from_day_after_notice_when_candidate_is_ready():
    out = steps(VOTE_READY)
    assert out == {EventKind.BRANCH_VOTE: rules.NextStep(EventKind.BRANCH_VOTE, D(2026, 10, 10))}


def test_next_steps_give_approval_deadline_when_vote_awaits_approval():
    assert steps(VOTED) == {
        EventKind.APPROVAL: rules.NextStep(
            EventKind.APPROVAL, D(2026, 10, 10), D(2027, 1, 10), rule_id="REC-APPROVAL-3M"
        )
    }


def test_next_steps_list_oath_and_conversion_when_probationary():
    out = steps(ADMITTED)
    assert out[EventKind.OATH].earliest_on == D(2026, 10, 20)
    assert out[EventKind.CONVERSION_VOTE] == rules.NextStep(
        EventKind.CONVERSION_VOTE, PROBATION_ENDS, D(2027, 11, 10), rule_id="REC-PROBATION-1Y"
    )


def test_next_steps_drop_oath_and_require_notice_when_sworn_and_policy_asks():
    policy = rules.Policy(notice_before=frozenset({EventKind.CONVERSION_VOTE}))
    out = steps((*ADMITTED, Oath(on=D(2026, 10, 21))), policy)
    assert EventKind.OATH not in out
    assert out[EventKind.CONVERSION_VOTE].requires == (EventKind.PUBLIC_NOTICE,)


@pytest.mark.parametrize(
    ("outcome", "kind"),
    [
        ("convert", EventKind.CONVERSION_APPROVAL),
        ("extend", EventKind.PROBATION_EXTENDED),
        ("cancel", EventKind.PROBATION_CANCELLED),
    ],
)
def test_next_steps_give_approval_of_resolution_when_branch_has_resolved(outcome, kind):
    out = steps((*ADMITTED, conversion(outcome=outcome)))
    assert out == {kind: rules.NextStep(kind, PROBATION_ENDS, D(2028, 1, 10), rule_id="REC-APPROVAL-3M")}


def test_next_steps_are_empty_when_member_is_full():
    assert steps((*CONVERSION_VOTED, ConversionApproval(on=D(2027, 10, 20)))) == {}


def test_next_steps_use_given_calendar_when_weekday_calendar_is_passed():
    events = (*CANDIDATE, PublicNotice(on=D(2026, 9, 28), working_days=5))
    assert steps(events, calendar=WeekdayCalendar())[EventKind.BRANCH_VOTE].earliest_on == D(2026, 10, 3)
