"""Branch votes: the counts (REC-VOTE-QUORUM, REC-VOTE-ONE-BY-ONE), the outcome (REC-VOTE-MAJORITY) and the roster
of who should attend and who came (REC-VOTERS-FULL). See the package docstring for the readings taken."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation

from ..choices import (
    VoteExclusionReason,
    VoteOpinion,
)
from .base import MemberFacts, _refuse


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


def check_vote(votes: VoteCounts) -> None:
    """REC-VOTERS-FULL, REC-VOTE-ONE-BY-ONE, REC-VOTE-QUORUM on one vote's counts: whether a valid vote took
    place. Whether it passed (REC-VOTE-MAJORITY) is its outcome (`majority_reached`), not a refusal: a vote
    that had a quorum but not the majority is recorded as failed (未通过)."""
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
    # Written opinions never count toward the quorum: only those present.
    if 2 * votes.present <= votes.should_attend:
        raise _refuse(
            "REC-VOTE-QUORUM",
            _("实到正式党员%(present)d名，未超过应到正式党员%(should)d名的半数，不能表决")
            % {"present": votes.present, "should": votes.should_attend},
            "present",
        )


def majority_reached(votes: VoteCounts) -> bool:
    """REC-VOTE-MAJORITY: the yes votes, written yes opinions included, are more than half of those who should
    attend (not of those present)."""
    return 2 * (votes.yes + votes.written_yes) > votes.should_attend


def check_electorate(electorate: tuple[MemberFacts, ...], votes: VoteCounts) -> None:
    """REC-VOTERS-FULL on a vote recorded by counts only: those who should attend are the electorate (the
    branch's full members on the vote date) less those under 留党察看, as the records say; other exclusions
    are named in a roster."""
    derived = sum(1 for p in electorate if p.full and not p.disciplinary_probation)
    if votes.should_attend != derived:
        raise _refuse(
            "REC-VOTERS-FULL",
            _(
                "应到正式党员人数（%(given)d）与本支部在表决之日的正式党员人数（%(derived)d，"
                "不含受留党察看处分的党员）不一致；因其他原因不计入应到人数的，请填写参会名单"
            )
            % {"given": votes.should_attend, "derived": derived},
            "should_attend",
        )


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
    """Whether a vote's counts make a valid vote (`check_vote`, without raising) that reached the majority."""
    try:
        check_vote(votes)
    except RuleViolation:
        return False
    return majority_reached(votes)
