"""Votes at meetings: MTG-QUORUM-GENERAL (中国共产党支部工作条例（试行）2018, Art. 11) and MTG-QUORUM-COMMITTEE
(Art. 12).

Readings taken:
- Only the general meeting (支部党员大会) and the committee meeting (支委会) take binding votes; a vote at any
  other kind of meeting (a group meeting, a lecture, a themed day…) is refused (MTG-VOTE-KIND).
- General meeting: `should_attend` is the voting members who should attend — full members only, counted by the
  caller (probationary members and members under 留党察看 have no vote). Quorum: present × 2 > should_attend.
  A motion passes with yes × 2 > should_attend (of those who should attend, not of those present).
- Committee meeting: `should_attend` is the size of the committee in office. Quorum: present × 2 > size; a
  motion passes with yes × 2 > size (the committee decides by a majority of its members).
- A vote without a quorum did not take place: `vote_require_quorum` refuses it (block). A vote with a quorum
  that fails is a valid outcome (`passed=False`), recorded as such.
- Counts are whole numbers from 0 to 10⁶, present ≤ should_attend, yes + no + abstain ≤ present; otherwise
  MTG-VOTE-COUNTS names the field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.utils.translation import gettext as _

from .base import COMMITTEE, GENERAL, _refuse

MAX_COUNT = 10**6
QUORUM_RULES = {GENERAL: "MTG-QUORUM-GENERAL", COMMITTEE: "MTG-QUORUM-COMMITTEE"}
VOTING_KINDS = frozenset(QUORUM_RULES)


@dataclass(frozen=True)
class VoteCount:
    """One vote's counts: who should attend (voting full members, or the committee's size), who was present,
    and the yes / no / abstain votes cast by those present."""

    should_attend: int
    present: int
    yes: int
    no: int = 0
    abstain: int = 0


@dataclass(frozen=True)
class VoteOutcome:
    """Whether the vote had its quorum, whether the motion passed, the rule applied and a sentence saying why."""

    quorum_met: bool
    passed: bool
    rule_id: str
    explanation: str


def _check_counts(counts: VoteCount) -> None:
    for f in fields(counts):
        value = getattr(counts, f.name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            raise _refuse(
                "MTG-VOTE-COUNTS",
                _("人数和票数应为0至%(max)d之间的整数") % {"max": MAX_COUNT},
                f.name,
            )
    if counts.present > counts.should_attend:
        raise _refuse(
            "MTG-VOTE-COUNTS",
            _("实到人数（%(present)d）超过应到人数（%(should)d）")
            % {"present": counts.present, "should": counts.should_attend},
            "present",
        )
    cast = counts.yes + counts.no + counts.abstain
    if cast > counts.present:
        raise _refuse(
            "MTG-VOTE-COUNTS",
            _("赞成、反对、弃权票合计（%(cast)d）超过实到人数（%(present)d）")
            % {"cast": cast, "present": counts.present},
            "yes",
        )


def vote_check(kind: str, counts: VoteCount) -> VoteOutcome:
    """The outcome of a vote at a meeting of `kind` (general or committee meeting): quorum and passing, with an
    explanation. Refuses a vote at another kind of meeting (MTG-VOTE-KIND) and invalid counts
    (MTG-VOTE-COUNTS); a vote without a quorum is answered (`quorum_met=False`), not refused — see
    `vote_require_quorum`."""
    if kind not in VOTING_KINDS:
        raise _refuse("MTG-VOTE-KIND", _("只有支部党员大会和支委会可以表决"), "kind")
    _check_counts(counts)
    rule_id = QUORUM_RULES[kind]
    should = _("应到党员%(n)d名") if kind == GENERAL else _("支委会委员%(n)d名")
    numbers = {
        "should": should % {"n": counts.should_attend},
        "present": counts.present,
        "yes": counts.yes,
    }
    quorum = counts.present * 2 > counts.should_attend
    if not quorum:
        explanation = _("%(should)s，实到%(present)d名，未超过半数，不能表决") % numbers
        return VoteOutcome(False, False, rule_id, explanation)
    passed = counts.yes * 2 > counts.should_attend
    if passed:
        explanation = _("%(should)s，实到%(present)d名，超过半数；赞成%(yes)d票，超过半数，通过") % numbers
    else:
        explanation = (
            _("%(should)s，实到%(present)d名，超过半数；赞成%(yes)d票，未超过半数，未通过") % numbers
        )
    return VoteOutcome(True, passed, rule_id, explanation)


def vote_require_quorum(kind: str, counts: VoteCount) -> VoteOutcome:
    """`vote_check`, refusing a vote without a quorum (MTG-QUORUM-GENERAL / MTG-QUORUM-COMMITTEE, field
    "present"): no valid vote took place. A vote with a quorum that fails is returned (`passed=False`)."""
    outcome = vote_check(kind, counts)
    if not outcome.quorum_met:
        raise _refuse(outcome.rule_id, outcome.explanation, "present")
    return outcome
