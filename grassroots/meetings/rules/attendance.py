"""Attendance at a meeting: MTG-ATTENDANCE (the project's own rule, after 中国共产党支部工作条例（试行）2018
Art. 11–13: members take part in organizational life, and an absence is excused for a reason).

Readings taken:
- A member expected at a meeting is present (出席), excused (请假, with a reason) or absent (缺席).
- A guest — someone the meeting did not expect (a member of another org, an upper-level leader) — may only be
  recorded as present; a guest is not counted in the rate.
- The rate is present ÷ expected (present + excused + absent), as a percentage rounded half up to two
  decimals; None when no one was expected. Excused members count as expected: the rate is attendance, not
  discipline.
- Once the minutes are final the attendance no longer changes (MTG-MINUTES-FINAL, `minutes.change_check`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .base import EXCUSED, PRESENT, STATUSES, _refuse

_RULE = "MTG-ATTENDANCE"
EXCUSE_REASON_MAX = 200
_CENT = Decimal("0.01")


def attendance_rate(present: int, excused: int, absent: int) -> Decimal | None:
    """The percentage of those expected who were present (two decimals, half up); None if no one was."""
    if min(present, excused, absent) < 0:
        raise ValueError("counts must not be negative")
    expected = present + excused + absent
    if expected == 0:
        return None
    return (Decimal(100 * present) / Decimal(expected)).quantize(_CENT, rounding=ROUND_HALF_UP)


def attendance_check(status: str, reason: str = "", *, expected: bool = True) -> None:
    """MTG-ATTENDANCE on one attendance line: a known status; an excused absence gives a reason (at most 200
    characters); a guest (`expected=False`) may only be present."""
    if status not in STATUSES:
        raise _refuse(_RULE, _("出席情况应为出席、请假或缺席"), "status")
    if not expected and status != PRESENT:
        raise _refuse(_RULE, _("列席人员不在应到名单中，只能登记为出席"), "status")
    if status == EXCUSED:
        if not reason.strip():
            raise _refuse(_RULE, _("请假须说明原因"), "reason")
        if len(reason.strip()) > EXCUSE_REASON_MAX:
            raise _refuse(_RULE, _("请假原因不能超过%(max)d个字") % {"max": EXCUSE_REASON_MAX}, "reason")
