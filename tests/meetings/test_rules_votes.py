"""Votes (MTG-QUORUM-GENERAL, MTG-QUORUM-COMMITTEE, MTG-VOTE-COUNTS, MTG-VOTE-KIND): quorum and passing at every
half-count boundary, even and odd sizes, zero, and the counts refused."""

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules
from grassroots.meetings.rules import VoteCount

GENERAL, COMMITTEE = rules.GENERAL, rules.COMMITTEE


@pytest.mark.parametrize(
    ("should", "present", "yes", "quorum", "passed"),
    [
        # Ten who should attend: 5 present is no quorum, 6 is; 5 yes fails, 6 passes.
        (10, 5, 5, False, False),
        (10, 6, 5, True, False),
        (10, 6, 6, True, True),
        (10, 10, 5, True, False),
        (10, 10, 6, True, True),
        # Nine (odd): 4 present no quorum, 5 quorum; 4 yes fails, 5 passes.
        (9, 4, 4, False, False),
        (9, 5, 4, True, False),
        (9, 5, 5, True, True),
        # Small bodies.
        (1, 1, 1, True, True),
        (1, 1, 0, True, False),
        (1, 0, 0, False, False),
        (2, 1, 1, False, False),
        (2, 2, 1, True, False),
        (2, 2, 2, True, True),
        (3, 2, 2, True, True),
        (3, 2, 1, True, False),
        # No one should attend: no quorum is possible.
        (0, 0, 0, False, False),
    ],
)
@pytest.mark.parametrize(
    ("kind", "rule_id"), [(GENERAL, "MTG-QUORUM-GENERAL"), (COMMITTEE, "MTG-QUORUM-COMMITTEE")]
)
def test_vote_check_answers_quorum_and_passing_when_counts_are_at_the_half(
    kind, rule_id, should, present, yes, quorum, passed
):
    outcome = rules.vote_check(kind, VoteCount(should_attend=should, present=present, yes=yes))
    assert (outcome.quorum_met, outcome.passed, outcome.rule_id) == (quorum, passed, rule_id)
    assert outcome.explanation
    if quorum:
        assert rules.vote_require_quorum(kind, VoteCount(should, present, yes)) == outcome
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.vote_require_quorum(kind, VoteCount(should, present, yes))
        assert refused.value.rule_id == rule_id
        assert refused.value.field == "present"
        assert str(refused.value.message).endswith(f"（{rule_id}）")


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        (VoteCount(10, 5, 5), ("应到党员10名", "实到5名", "未超过半数，不能表决")),
        (VoteCount(10, 6, 5, 1), ("赞成5票", "未通过")),
        (VoteCount(10, 6, 6), ("赞成6票", "通过")),
    ],
)
def test_explanation_names_the_counts_when_a_general_meeting_votes(counts, words):
    explanation = rules.vote_check(GENERAL, counts).explanation
    assert all(w in explanation for w in words)


def test_explanation_names_the_committee_when_a_committee_votes():
    assert "支委会委员5名" in rules.vote_check(COMMITTEE, VoteCount(5, 3, 3)).explanation


def test_yes_counts_against_those_who_should_attend_when_many_are_absent():
    # 6 of 10 present, 5 yes and 1 no: most of those present, but not more than half of the ten.
    outcome = rules.vote_check(GENERAL, VoteCount(10, 6, 5, 1, 0))
    assert (outcome.quorum_met, outcome.passed) == (True, False)


@pytest.mark.parametrize(
    "kind",
    [rules.GROUP, rules.LECTURE, rules.THEMED_DAY, rules.ORG_LIFE, rules.APPRAISAL, rules.TALK, "other"],
)
def test_vote_is_refused_when_the_meeting_takes_no_binding_vote(kind):
    for check in (rules.vote_check, rules.vote_require_quorum):
        with pytest.raises(RuleViolation) as refused:
            check(kind, VoteCount(10, 10, 10))
        assert (refused.value.rule_id, refused.value.field) == ("MTG-VOTE-KIND", "kind")
        assert str(refused.value.message).endswith("（MTG-VOTE-KIND）")


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        (VoteCount(-1, 0, 0), "should_attend"),
        (VoteCount(10, -1, 0), "present"),
        (VoteCount(10, 5, -1), "yes"),
        (VoteCount(10, 5, 0, -1), "no"),
        (VoteCount(10, 5, 0, 0, -1), "abstain"),
        (VoteCount(10**6 + 1, 0, 0), "should_attend"),
        (VoteCount(10, 5, 5.0), "yes"),
        (VoteCount(10, True, 0), "present"),
        (VoteCount("10", 5, 5), "should_attend"),
        # Present beyond those who should attend.
        (VoteCount(10, 11, 6), "present"),
        # More votes cast than present.
        (VoteCount(10, 6, 4, 2, 1), "yes"),
        (VoteCount(10, 6, 7), "yes"),
    ],
)
@pytest.mark.parametrize("kind", [GENERAL, COMMITTEE])
def test_vote_is_refused_when_counts_are_invalid(kind, counts, field):
    with pytest.raises(RuleViolation) as refused:
        rules.vote_check(kind, counts)
    assert (refused.value.rule_id, refused.value.field) == ("MTG-VOTE-COUNTS", field)
    assert str(refused.value.message).endswith("（MTG-VOTE-COUNTS）")


@pytest.mark.parametrize(
    "counts",
    [VoteCount(10**6, 10**6, 10**6), VoteCount(10, 6, 2, 2, 2), VoteCount(10, 10, 0, 0, 0)],
)
def test_vote_is_accepted_when_counts_are_at_their_limits(counts):
    assert rules.vote_check(GENERAL, counts).quorum_met
