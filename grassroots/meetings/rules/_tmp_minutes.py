"""TEMPORARY stand-in for the rules the minutes part uses, until branch wt-rules is merged.

Same names and signatures as the rules package of wt-rules (votes.vote_require_quorum / VoteCount,
minutes.is_late_entry / finalize_check / amendment_check / canonical_parts, appraisal.appraisal_check). At
merge: delete this file and import `from .. import rules` where the services import `_tmp_minutes as rules`.
No `__init__.py` is added here on purpose (the package's `__init__` comes from wt-rules).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation

GENERAL = "general_meeting"
COMMITTEE = "committee_meeting"
QUORUM_RULES = {GENERAL: "MTG-QUORUM-GENERAL", COMMITTEE: "MTG-QUORUM-COMMITTEE"}
MINUTES_FINAL_STATES = frozenset({"finalized", "confirmed"})
EXCELLENT, UNQUALIFIED = "excellent", "unqualified"
GRADES = (EXCELLENT, "qualified", "basically_qualified", UNQUALIFIED)
HANDLINGS = ("rectify", "persuade_to_leave", "remove")


def _refuse(rule_id: str, message: str, field_name: str | None = None) -> RuleViolation:
    return RuleViolation(rule_id, f"{message}（{rule_id}）", field=field_name)


@dataclass(frozen=True)
class VoteCount:
    should_attend: int
    present: int
    yes: int
    no: int = 0
    abstain: int = 0


@dataclass(frozen=True)
class VoteOutcome:
    quorum_met: bool
    passed: bool
    rule_id: str
    explanation: str


def vote_check(kind: str, counts: VoteCount) -> VoteOutcome:
    if kind not in QUORUM_RULES:
        raise _refuse("MTG-VOTE-KIND", _("只有支部党员大会和支委会可以表决"), "kind")
    for name in ("should_attend", "present", "yes", "no", "abstain"):
        value = getattr(counts, name)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**6:
            raise _refuse("MTG-VOTE-COUNTS", _("人数和票数应为0至1000000之间的整数"), name)
    if counts.present > counts.should_attend:
        raise _refuse("MTG-VOTE-COUNTS", _("实到人数超过应到人数"), "present")
    if counts.yes + counts.no + counts.abstain > counts.present:
        raise _refuse("MTG-VOTE-COUNTS", _("赞成、反对、弃权票合计超过实到人数"), "yes")
    rule_id = QUORUM_RULES[kind]
    if counts.present * 2 <= counts.should_attend:
        return VoteOutcome(False, False, rule_id, _("实到未超过应到人数的半数，不能表决"))
    passed = counts.yes * 2 > counts.should_attend
    return VoteOutcome(True, passed, rule_id, _("通过") if passed else _("未通过"))


def vote_require_quorum(kind: str, counts: VoteCount) -> VoteOutcome:
    outcome = vote_check(kind, counts)
    if not outcome.quorum_met:
        raise _refuse(outcome.rule_id, outcome.explanation, "present")
    return outcome


def is_late_entry(held_on: dt.date, finalized_on: dt.date, late_days: int = 7) -> bool:
    return (finalized_on - held_on).days > late_days


def finalize_check(held_on: dt.date, today: dt.date, has_text: bool, state: str) -> None:
    if state in MINUTES_FINAL_STATES:
        raise _refuse("MTG-MINUTES-FINAL", _("会议记录已定稿，不能再次定稿"), "state")
    if held_on > today:
        raise _refuse("MTG-DATES", _("会议还未召开，会后才能定稿会议记录"), "held_on")
    if not has_text:
        raise _refuse("MTG-MINUTES-FINAL", _("会议记录没有内容，不能定稿"), "text")


def amendment_check(text: str, reason: str) -> None:
    if not text.strip():
        raise _refuse("MTG-MINUTES-FINAL", _("请填写更正内容"), "text")
    if not reason.strip():
        raise _refuse("MTG-MINUTES-FINAL", _("请填写更正原因"), "reason")
    if len(reason.strip()) > 200:
        raise _refuse("MTG-MINUTES-FINAL", _("更正原因不能超过200个字"), "reason")


def _scalar(value: object):
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialize {type(value).__name__} canonically")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _part(name: str, value: object) -> bytes:
    return _dumps({"part": name, "v": 1, "value": value}).encode("utf-8")


def _rows(rows: Iterable[Mapping[str, object]]) -> list:
    return sorted(({str(k): _scalar(v) for k, v in row.items()} for row in rows), key=_dumps)


def canonical_parts(
    text: str, attendance: Iterable[Mapping[str, object]], votes: Iterable[Mapping[str, object]]
) -> dict[str, bytes]:
    return {
        "text": _part("text", text),
        "attendance": _part("attendance", _rows(attendance)),
        "votes": _part("votes", _rows(votes)),
    }


def appraisal_check(
    grades: Mapping[Hashable, str],
    handling: Mapping[Hashable, str],
    appraised_count: int,
    names: Mapping[Hashable, str] | None = None,
) -> dict[str, int]:
    names = names or {}
    rule = "MEM-APPRAISAL-GRADES"
    if len(grades) > appraised_count:
        raise _refuse(rule, _("评议人数少于已评定等次的人数"), "appraised_count")
    counts = dict.fromkeys(GRADES, 0)
    for grade in grades.values():
        if grade not in counts:
            raise _refuse(rule, _("评议等次应为优秀、合格、基本合格或不合格"), "grades")
        counts[grade] += 1
    if counts[EXCELLENT] * 3 > appraised_count:
        raise _refuse(rule, _("评为优秀的党员超过参加评议党员的三分之一"), "grades")
    for member, how in handling.items():
        if grades.get(member) != UNQUALIFIED:
            raise _refuse(
                rule,
                _("%(who)s未被评为不合格，无需组织处置") % {"who": names.get(member, member)},
                "handling",
            )
        if how not in HANDLINGS:
            raise _refuse(rule, _("处置方式应为限期改正、劝其退党或除名"), "handling")
    for member, grade in grades.items():
        if grade == UNQUALIFIED and member not in handling:
            raise _refuse(
                rule,
                _("%(who)s被评为不合格，须确定处置方式（限期改正、劝其退党或除名）")
                % {"who": names.get(member, member)},
                "handling",
            )
    return counts
