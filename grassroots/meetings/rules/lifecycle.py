"""A meeting's life and a member's leave: MTG-STATUS and MTG-LEAVE (the project's own rules, after 中国共产党支部
工作条例（试行）2018 Art. 11–13: members take part in organizational life; an absence is excused for a reason,
asked beforehand) and MTG-DATES for the day a meeting was held.

Readings taken:
- MTG-STATUS: a meeting is planned (已计划), then either held (已召开) or cancelled (已取消), never back. Only a
  planned meeting is edited or cancelled; a cancellation states its reason (at most 200 characters). A
  cancelled meeting is never held and nothing is recorded at it (attendance, guests, leave).
- MTG-DATES: the day a meeting was held is not after today.
- MTG-LEAVE: a member asks leave for himself only, with a reason (at most 200 characters), while the meeting is
  planned and before it starts (its start time on its day; the day's beginning when no time is set), and only
  for a meeting he is expected at whose attendance is not yet recorded. A pending request is not asked again;
  a refused one may be asked again. An officer grants or refuses a pending request before the minutes are
  final; granted, the member is excused (请假) with the reason he gave; refused, his attendance stays as it was.
- How a line recorded by an officer is marked: by the secretary (书记代录) up to the meeting's day, as a late
  entry (会后补录) on any later day.

Statuses are plain strings: the values of `meetings.choices.MeetingStatus` and `SignInMethod`.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from grassroots.core.dates import cn_date

from .base import EXCUSED, _refuse

PLANNED = "planned"  # 已计划
HELD = "held"  # 已召开
CANCELLED = "cancelled"  # 已取消
MEETING_STATUSES = (PLANNED, HELD, CANCELLED)

# How an officer's line is marked (meetings.choices.SignInMethod values).
METHOD_SECRETARY = "secretary"  # 书记代录
METHOD_LATE_ENTRY = "late_entry"  # 会后补录

CANCEL_REASON_MAX = 200
LEAVE_REASON_MAX = 200

_STATUS = "MTG-STATUS"
_LEAVE = "MTG-LEAVE"


def _known(status: str) -> None:
    if status not in MEETING_STATUSES:
        raise ValueError(f"unknown meeting status {status!r}")


def edit_check(status: str) -> None:
    """MTG-STATUS: only a planned meeting is edited."""
    _known(status)
    if status == HELD:
        raise _refuse(_STATUS, _("会议已召开，不能再修改会议安排"), "status")
    if status == CANCELLED:
        raise _refuse(_STATUS, _("会议已取消，不能再修改会议安排"), "status")


def cancel_check(status: str, reason: str) -> None:
    """MTG-STATUS: only a planned meeting is cancelled, with a reason of at most 200 characters."""
    _known(status)
    if status == HELD:
        raise _refuse(_STATUS, _("会议已召开，不能取消"), "status")
    if status == CANCELLED:
        raise _refuse(_STATUS, _("会议已经取消"), "status")
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_STATUS, _("取消会议须说明原因"), "reason")
    if len(reason) > CANCEL_REASON_MAX:
        raise _refuse(_STATUS, _("取消原因不能超过%(max)d个字") % {"max": CANCEL_REASON_MAX}, "reason")


def hold_check(status: str, held_on: dt.date, today: dt.date) -> None:
    """MTG-STATUS: only a planned meeting is marked held; MTG-DATES: on a day not after today."""
    _known(status)
    if status == HELD:
        raise _refuse(_STATUS, _("会议已经标记为已召开"), "status")
    if status == CANCELLED:
        raise _refuse(_STATUS, _("会议已取消，不能标记为已召开"), "status")
    if held_on > today:
        raise _refuse(
            "MTG-DATES",
            _("召开日期（%(date)s）还未到，会后才能标记为已召开") % {"date": cn_date(held_on)},
            "held_on",
        )


def record_check(status: str) -> None:
    """MTG-STATUS: nothing is recorded at a cancelled meeting (attendance, guests, leave)."""
    _known(status)
    if status == CANCELLED:
        raise _refuse(_STATUS, _("会议已取消，不能登记出席情况"), "status")


def record_method(meeting_day: dt.date, today: dt.date) -> str:
    """How an officer's line is marked: by the secretary up to the meeting's day, a late entry after it."""
    return METHOD_LATE_ENTRY if today > meeting_day else METHOD_SECRETARY


def meeting_start(day: dt.date, starts_at: dt.time | None) -> dt.datetime:
    """When a meeting starts, as a naive local datetime: its start time on its day, else the day's beginning."""
    return dt.datetime.combine(day, starts_at or dt.time(0, 0))


def leave_request_check(
    *,
    status: str,
    own: bool,
    expected: bool,
    attendance_status: str,
    pending: bool,
    reason: str,
    now: dt.datetime,
    starts: dt.datetime,
) -> None:
    """MTG-LEAVE on a member's request: `own` — he asks for himself; `expected` — he is on the roster;
    `attendance_status` — what is recorded for him so far ("" when nothing); `pending` — he already asked and
    no one decided; `now` and `starts` are naive local datetimes of the same clock."""
    _known(status)
    if not own:
        raise _refuse(_LEAVE, _("请假须由党员本人提出"), "member")
    if not expected:
        raise _refuse(_LEAVE, _("您不在本次会议的应到名单中，无须请假"), "member")
    if status == CANCELLED:
        raise _refuse(_LEAVE, _("会议已取消，无须请假"), "status")
    if status == HELD or now >= starts:
        raise _refuse(_LEAVE, _("会议已经开始，不能再请假；请向书记说明缺席原因"), "status")
    if pending:
        raise _refuse(_LEAVE, _("已提交请假申请，请等待书记审批"), "reason")
    if attendance_status == EXCUSED:
        raise _refuse(_LEAVE, _("已经准假，无须再次申请"), "reason")
    if attendance_status:
        raise _refuse(_LEAVE, _("出席情况已登记，不能再请假"), "reason")
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_LEAVE, _("请假须说明事由"), "reason")
    if len(reason) > LEAVE_REASON_MAX:
        raise _refuse(_LEAVE, _("请假事由不能超过%(max)d个字") % {"max": LEAVE_REASON_MAX}, "reason")


def leave_decide_check(*, status: str, pending: bool, minutes_final: bool) -> None:
    """MTG-LEAVE on an officer's decision: a pending request, at a meeting not cancelled, before its minutes
    are final."""
    _known(status)
    if status == CANCELLED:
        raise _refuse(_LEAVE, _("会议已取消，无须审批请假"), "status")
    if minutes_final:
        raise _refuse(_LEAVE, _("会议记录已定稿，不能再审批请假"), "grant")
    if not pending:
        raise _refuse(_LEAVE, _("没有待审批的请假申请"), "grant")


def leave_outcome(grant: bool, leave_reason: str, status: str, reason: str) -> tuple[str, str]:
    """The attendance line (status, reason) after a decision: granted → excused with the leave's reason;
    refused → as it was."""
    if grant:
        return EXCUSED, leave_reason
    return status, reason
