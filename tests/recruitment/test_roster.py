"""REC-VOTERS-FULL on a vote's roster, and REC-VOTE-QUORUM / REC-VOTE-MAJORITY on the counts it gives: who
should attend (the branch's full members less exclusions, less those under 留党察看), who came, written
opinions of the absent; each boundary and each refusal."""

import datetime as dt

import pytest
from django.utils import translation

from grassroots.core.errors import RuleViolation
from grassroots.core.workdays import CHINA
from grassroots.recruitment import rules
from grassroots.recruitment.choices import ProbationOutcome, VoteExclusionReason, VoteOpinion
from grassroots.recruitment.rules import (
    BranchVote,
    ConversionVote,
    Exclusion,
    MemberFacts,
    VoteCounts,
    VoteRoster,
)
from tests.support.timelines import ADMITTED, NATIONAL_DAY_NOTICE, PROBATION_ENDS, VOTE_READY, tl

D = dt.date
VOTE_DAY = D(2026, 10, 10)
# Ten full members: 1–9 free to vote, 10 under 留党察看.
FREE = tuple(MemberFacts(i, True, name=f"党员{i}") for i in range(1, 10))
WATCHED = MemberFacts(10, True, disciplinary_probation=True, name="党员10")
ELECTORATE = (*FREE, WATCHED)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def roster(present=(), excluded=None, written=None, electorate=ELECTORATE):
    return VoteRoster(
        electorate=electorate,
        excluded=excluded or {},
        present=frozenset(present),
        written=written or {},
    )


def counts_of(r, yes, no=0, abstain=0, **override):
    c = rules.roster_counts(r)
    values = dict(
        should_attend=c.should_attend,
        present=c.present,
        yes=yes,
        no=no,
        abstain=abstain,
        written_yes=c.written_yes,
    )
    values.update(override)
    return VoteCounts(**values)


def check(r, votes, kind=BranchVote):
    if kind is BranchVote:
        return rules.check_event(
            tl(*VOTE_READY),
            BranchVote(on=VOTE_DAY, votes=votes, roster=r),
            policy=rules.Policy(),
            calendar=CHINA,
        )
    return rules.check_event(
        tl(*ADMITTED),
        ConversionVote(on=PROBATION_ENDS, votes=votes, roster=r, outcome=ProbationOutcome.CONVERT),
        policy=rules.Policy(notice_before=frozenset({"branch_vote"})),
        calendar=CHINA,
    )


def refused(r, votes, kind=BranchVote):
    with pytest.raises(RuleViolation) as exc:
        check(r, votes, kind)
    return exc.value


# ------------------------------------------------------------------ counts


def test_roster_counts_exclude_members_under_disciplinary_probation_when_not_listed():
    c = rules.roster_counts(roster(present=(1, 2, 3)))
    assert (c.should_attend, c.present, c.written_yes) == (9, 3, 0)
    assert c.excluded == {10: Exclusion(VoteExclusionReason.DISCIPLINARY_PROBATION)}


def test_roster_counts_written_opinions_by_kind_and_exclusions_when_listed():
    r = roster(
        present=(1, 2, 3, 4),
        excluded={5: Exclusion(VoteExclusionReason.ILLNESS)},
        written={6: VoteOpinion.YES, 7: VoteOpinion.NO, 8: VoteOpinion.ABSTAIN, 9: VoteOpinion.YES},
    )
    c = rules.roster_counts(r)
    assert (c.should_attend, c.present, c.written_yes, c.written_no, c.written_abstain) == (8, 4, 2, 1, 1)
    assert set(c.excluded) == {5, 10}


def test_roster_replaces_the_reason_of_a_member_under_disciplinary_probation_when_listed_otherwise():
    r = roster(excluded={10: Exclusion(VoteExclusionReason.ILLNESS)})
    assert rules.roster_excluded(r)[10] == Exclusion(VoteExclusionReason.DISCIPLINARY_PROBATION)


# ------------------------------------------------------------------ quorum and majority through a roster


@pytest.mark.parametrize(("present", "ok"), [(4, False), (5, True)])
def test_vote_quorum_refuses_roster_when_present_is_exactly_half_of_should_attend(present, ok):
    # 10 members, one under 留党察看, one ill: 8 should attend; 4 is half, 5 is more than half.
    r = roster(present=range(1, present + 1), excluded={9: Exclusion(VoteExclusionReason.ILLNESS)})
    votes = counts_of(r, yes=present)
    assert votes.should_attend == 8
    if ok:
        assert check(r, votes) == []
    else:
        err = refused(r, votes)
        assert (err.rule_id, err.field) == ("REC-VOTE-QUORUM", "present")
        assert err.message == "实到正式党员4名，未超过应到正式党员8名的半数，不能表决（REC-VOTE-QUORUM）"


@pytest.mark.parametrize(("written_yes", "ok"), [(0, False), (1, True)])
def test_vote_majority_counts_written_yes_from_the_roster_when_absent_members_wrote(written_yes, ok):
    # 9 should attend; 5 present, 4 vote yes; a written yes makes 5 > 4.5.
    written = {6: VoteOpinion.YES} if written_yes else {6: VoteOpinion.NO}
    r = roster(present=(1, 2, 3, 4, 5), written=written)
    votes = counts_of(r, yes=4, no=1)
    assert votes.written_yes == written_yes
    assert check(r, votes) == []  # a valid vote either way: without the majority it is recorded as failed
    assert rules.vote_passed(votes) is ok


def test_vote_majority_ignores_written_no_and_abstain_when_counting_yes():
    r = roster(present=(1, 2, 3, 4, 5), written={6: VoteOpinion.NO, 7: VoteOpinion.ABSTAIN})
    votes = counts_of(r, yes=4, no=1)
    assert check(r, votes) == []
    assert not rules.majority_reached(votes)


def test_voters_full_still_checks_cast_votes_against_present_when_roster_is_given():
    r = roster(present=(1, 2, 3, 4, 5))
    err = refused(r, counts_of(r, yes=5, no=1))
    assert (err.rule_id, err.field) == ("REC-VOTERS-FULL", "yes")


def test_roster_is_checked_on_conversion_votes_when_given():
    r = roster(present=(1, 2, 3, 4, 5))
    assert check(r, counts_of(r, yes=5), kind=ConversionVote) == []
    assert refused(roster(present=(1, 10)), VoteCounts(9, 2, 2), kind=ConversionVote).rule_id == (
        "REC-VOTERS-FULL"
    )


# ------------------------------------------------------------------ REC-VOTERS-FULL refusals

GOOD_PRESENT = (1, 2, 3, 4, 5, 6)


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        (
            {"present": (*GOOD_PRESENT, 7), "written": {7: VoteOpinion.YES}},
            "党员7已到会，书面表决意见只能来自未到会",
        ),
        (
            {"present": GOOD_PRESENT, "excluded": {6: Exclusion(VoteExclusionReason.ABROAD)}},
            "党员6已列为不计入应到人数",
        ),
        (
            {
                "present": GOOD_PRESENT[:5],
                "excluded": {6: Exclusion(VoteExclusionReason.ILLNESS)},
                "written": {6: "yes"},
            },
            "党员6已列为不计入应到人数",
        ),
        ({"present": (*GOOD_PRESENT, 10)}, "党员10受留党察看处分，没有表决权"),
        ({"present": GOOD_PRESENT, "written": {10: VoteOpinion.YES}}, "党员10受留党察看处分"),
        ({"present": (*GOOD_PRESENT, 11)}, "编号11的人员不是本支部在表决之日的正式党员"),
        ({"present": GOOD_PRESENT, "written": {12: VoteOpinion.YES}}, "编号12的人员不是本支部"),
        (
            {"present": GOOD_PRESENT, "excluded": {13: Exclusion(VoteExclusionReason.ILLNESS)}},
            "编号13的人员不是本支部",
        ),
        ({"present": GOOD_PRESENT, "excluded": {7: Exclusion("holiday")}}, "请选择党员7不计入应到人数的原因"),
        (
            {"present": GOOD_PRESENT, "excluded": {7: Exclusion(VoteExclusionReason.OTHER, "  ")}},
            "原因为“其他”，须说明",
        ),
        (
            {"present": GOOD_PRESENT, "excluded": {7: Exclusion(VoteExclusionReason.DISCIPLINARY_PROBATION)}},
            "党员7在表决之日未受留党察看处分",
        ),
        ({"present": GOOD_PRESENT, "written": {7: "maybe"}}, "党员7的书面表决意见应为赞成、反对或弃权"),
    ],
)
def test_voters_full_refuses_roster_when_it_names_someone_wrongly(kw, text):
    r = roster(**kw)
    err = refused(r, counts_of(r, yes=len(kw["present"])))
    assert (err.rule_id, err.field) == ("REC-VOTERS-FULL", "roster")
    assert text in err.message
    assert err.message.endswith("（REC-VOTERS-FULL）")


def test_voters_full_refuses_a_probationary_member_in_the_electorate_when_named():
    r = roster(present=(*GOOD_PRESENT, 20), electorate=(*ELECTORATE, MemberFacts(20, False, name="预备党员")))
    assert "预备党员不是本支部" in refused(r, counts_of(r, yes=6)).message


def test_roster_accepts_other_reason_when_a_note_is_given():
    r = roster(present=GOOD_PRESENT, excluded={7: Exclusion(VoteExclusionReason.OTHER, "住院手术")})
    assert check(r, counts_of(r, yes=6)) == []


def test_roster_accepts_the_fixed_reason_for_a_member_under_disciplinary_probation_when_listed():
    r = roster(present=GOOD_PRESENT, excluded={10: Exclusion(VoteExclusionReason.DISCIPLINARY_PROBATION)})
    assert check(r, counts_of(r, yes=6)) == []


@pytest.mark.parametrize(
    ("field", "value", "derived"),
    [("should_attend", 10, 9), ("present", 7, 6), ("written_yes", 0, 1)],
)
def test_voters_full_refuses_counts_that_differ_from_the_roster(field, value, derived):
    r = roster(present=GOOD_PRESENT, written={7: VoteOpinion.YES})
    err = refused(r, counts_of(r, yes=6, **{field: value}))
    assert (err.rule_id, err.field) == ("REC-VOTERS-FULL", field)
    assert f"（{value}）与参会名单统计的人数（{derived}）不一致" in err.message


def test_vote_refused_when_nobody_should_attend_after_exclusions():
    r = roster(electorate=(WATCHED,))
    assert refused(r, counts_of(r, yes=0)).rule_id == "REC-VOTERS-FULL"


def test_replay_accepts_a_timeline_with_a_roster_vote_when_checking_the_next_step():
    r = roster(present=GOOD_PRESENT)
    voted = (*VOTE_READY, BranchVote(on=VOTE_DAY, votes=counts_of(r, yes=6), roster=r))
    assert rules.stage_of(tl(*voted)) == "candidate"
    assert NATIONAL_DAY_NOTICE in voted
