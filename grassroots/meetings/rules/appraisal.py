"""The yearly democratic appraisal of members (民主评议党员): MEM-APPRAISAL-GRADES (中国共产党支部工作条例（试行）
2018).

Readings taken:
- Grades: 优秀 excellent, 合格 qualified, 基本合格 basically_qualified, 不合格 unqualified.
- At most one third of those appraised are excellent: excellent × 3 ≤ appraised (9 appraised: 3; 10: 3;
  2: none). `appraised_count` is the number of members the branch appraised that year, given by the caller;
  the grades given so far may not outnumber it.
- Every unqualified member is handled: 限期改正 rectify, 劝其退党 persuade_to_leave or 除名 remove. A handling
  given for a member who is not unqualified is refused too: it would say something the grade does not.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from django.utils.translation import gettext as _

from .base import _refuse

_RULE = "MEM-APPRAISAL-GRADES"

EXCELLENT = "excellent"
QUALIFIED = "qualified"
BASICALLY_QUALIFIED = "basically_qualified"
UNQUALIFIED = "unqualified"
GRADES = (EXCELLENT, QUALIFIED, BASICALLY_QUALIFIED, UNQUALIFIED)

RECTIFY = "rectify"  # 限期改正
PERSUADE_TO_LEAVE = "persuade_to_leave"  # 劝其退党
REMOVE = "remove"  # 除名
HANDLINGS = (RECTIFY, PERSUADE_TO_LEAVE, REMOVE)


def max_excellent(appraised_count: int) -> int:
    """The most members who may be graded excellent: one third of those appraised, rounded down."""
    return max(0, appraised_count) // 3


def _who(member: Hashable, names: Mapping[Hashable, str]) -> str:
    return names.get(member) or _("编号%(id)s的党员") % {"id": member}


def appraisal_check(
    grades: Mapping[Hashable, str],
    handling: Mapping[Hashable, str],
    appraised_count: int,
    names: Mapping[Hashable, str] | None = None,
) -> dict[str, int]:
    """MEM-APPRAISAL-GRADES on a branch's grades (member → grade) and the handling of its unqualified members
    (member → handling); returns the count per grade (every grade present, 0 when none). `names` (member →
    name) only serves messages."""
    names = names or {}
    if appraised_count < 0 or len(grades) > appraised_count:
        raise _refuse(
            _RULE,
            _("评议人数（%(count)d）少于已评定等次的人数（%(graded)d）")
            % {"count": appraised_count, "graded": len(grades)},
            "appraised_count",
        )
    counts = dict.fromkeys(GRADES, 0)
    for member, grade in grades.items():
        if grade not in counts:
            raise _refuse(
                _RULE,
                _("%(who)s的评议等次应为优秀、合格、基本合格或不合格") % {"who": _who(member, names)},
                "grades",
            )
        counts[grade] += 1
    if counts[EXCELLENT] * 3 > appraised_count:
        raise _refuse(
            _RULE,
            _("评为优秀的党员（%(n)d名）超过参加评议党员（%(count)d名）的三分之一，最多%(max)d名")
            % {"n": counts[EXCELLENT], "count": appraised_count, "max": max_excellent(appraised_count)},
            "grades",
        )
    for member, how in handling.items():
        if grades.get(member) != UNQUALIFIED:
            raise _refuse(
                _RULE, _("%(who)s未被评为不合格，无需组织处置") % {"who": _who(member, names)}, "handling"
            )
        if how not in HANDLINGS:
            raise _refuse(
                _RULE,
                _("%(who)s的处置方式应为限期改正、劝其退党或除名") % {"who": _who(member, names)},
                "handling",
            )
    for member, grade in grades.items():
        if grade == UNQUALIFIED and member not in handling:
            raise _refuse(
                _RULE,
                _("%(who)s被评为不合格，须确定处置方式（限期改正、劝其退党或除名）")
                % {"who": _who(member, names)},
                "handling",
            )
    return counts
