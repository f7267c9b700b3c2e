"""Members sign themselves in at a meeting (MTG-SIGN-IN): the rotating code shown at the meeting
(`sign_in_screen`, for the convener, the recorder and the org's officers) and the member's own sign-in by that
code or its QR code (`sign_in`).

Readings taken (docs/meetings.md, "Members sign themselves in"):
- The window is the policy's (`selectors.policy_for(org, planned_on)`) around the meeting's start and end on
  its planned day, in the installation's time zone (settings.TIME_ZONE). A meeting without a start time opens
  for its whole planned day.
- The member is found by the signed-in account (`members.selectors.own_member`), whatever their grants: a
  member signs in for themselves only. A member on the meeting's roster is recorded present; an active member
  who is not on it (a mobile member of another org, 流动党员) is added as a guest (列席: expected=False,
  present). An account without a member record, or a record no longer on the roll and not expected, is
  refused.
- Wrong codes are throttled per account and meeting: after `WRONG_PER_STEP` wrong codes in one step of the
  code, every try is refused until the step ends; after `WRONG_PER_MEETING` wrong codes the member can no
  longer sign in themselves at that meeting (the secretary records them). With 10^6 codes of which two are
  accepted at a time, a member can try at most 20 of them. Each wrong code is kept (`SignInFailure`), outside
  the refused sign-in's transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Member
from grassroots.members.selectors import own_member

from .. import rules, selectors
from ..choices import AttendanceStatus, MeetingStatus, SignInMethod
from ..models import Attendance, Meeting, SignInFailure
from ..selectors import Window, window_of
from .guards import ensure_not_final, is_final
from .meetings import counts_refresh
from .minutes import is_person

RULE = "MTG-SIGN-IN"
# The methods a member signs in by themselves (the others are the secretary's: SECRETARY, LATE_ENTRY).
SELF_METHODS = (SignInMethod.CODE, SignInMethod.QR)
WRONG_PER_STEP = 5
WRONG_PER_MEETING = 20
CODE_MAX_LENGTH = 16

# What the screen shows (ScreenCode.state).
OPEN = rules.WINDOW_OPEN
NOT_YET = rules.WINDOW_NOT_YET
CLOSED = rules.WINDOW_CLOSED
CANCELLED = "cancelled"
FINAL = "final"


def _refuse(message: str, field: str | None = None) -> RuleViolation:
    return RuleViolation(RULE, _("%(message)s（%(rule)s）") % {"message": message, "rule": RULE}, field=field)


def step_of(at: dt.datetime, step_seconds: int) -> int:
    """The number of the code's step at `at` (Unix time ÷ the step length, as the code itself counts)."""
    return math.floor(at.timestamp() / step_seconds)


def _step_start(step: int, step_seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(step * step_seconds, tz=dt.UTC)


def _secret(meeting: Meeting) -> bytes:
    return bytes.fromhex(meeting.sign_in_secret)


def _state(meeting: Meeting, window: Window, at: dt.datetime) -> str:
    if meeting.status == MeetingStatus.CANCELLED:
        return CANCELLED
    if is_final(meeting):
        return FINAL
    return window.state(at)


# ---------------------------------------------------------------------------------------------------------
# The screen at the meeting.


@dataclass(frozen=True)
class ScreenCode:
    """What the sign-in screen shows at `at`: the window's state and, while it is open, the code, the moment
    the screen shows the next one (`refresh_at`), the moment the code stops being accepted (`expires_at`: the
    end of the step after its own) and the path of the QR code's target (meeting id and code)."""

    meeting: Meeting
    state: str
    at: dt.datetime
    opens_at: dt.datetime
    closes_at: dt.datetime
    step_seconds: int
    code: str | None = None
    refresh_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    url: str | None = None

    @property
    def seconds_left(self) -> int:
        """Whole seconds until the screen shows the next code (0 without a code)."""
        if self.refresh_at is None:
            return 0
        return max(0, math.ceil((self.refresh_at - self.at).total_seconds()))


def may_show_code(scope: Scope, actor, meeting: Meeting) -> bool:
    """The convener's or the recorder's own account, or an officer of the org (MEETING_EDIT)."""
    return (
        scope.is_system
        or is_person(scope, actor, meeting.convener)
        or is_person(scope, actor, meeting.recorder)
        or permissions.allows(scope, selectors.MEETING_EDIT, meeting.org.path)
    )


def sign_in_screen(*, scope: Scope, actor, meeting: Meeting, at: dt.datetime | None = None) -> ScreenCode:
    """The code to show on the screen at the meeting now (`at`). Only for the convener, the recorder and the
    org's officers (NotFound outside the caller's scope, PermissionDenied inside it). No code is given while
    the window is not open, nor for a cancelled meeting or final minutes."""
    if not may_show_code(scope, actor, meeting):
        if not scope.covers(meeting.org.path):
            raise NotFound
        raise PermissionDenied
    at = at or timezone.now()
    window = window_of(meeting)
    opens_at, closes_at = window.bounds
    state = _state(meeting, window, at)
    screen = ScreenCode(meeting, state, at, opens_at, closes_at, window.step_seconds)
    if state != OPEN:
        return screen
    step = step_of(at, window.step_seconds)
    code = rules.sign_in_code(_secret(meeting), at, window.step_seconds)
    return ScreenCode(
        meeting,
        state,
        at,
        opens_at,
        closes_at,
        window.step_seconds,
        code=code,
        refresh_at=_step_start(step + 1, window.step_seconds),
        expires_at=_step_start(step + 2, window.step_seconds),
        url=reverse("meetings:sign_in", args=[meeting.pk]) + f"?c={code}",
    )


# ---------------------------------------------------------------------------------------------------------
# The member's own sign-in.


def normalized_code(code: str) -> str:
    """The code as typed, full-width digits and spaces folded (a phone's Chinese keyboard types １２３)."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def _wrong_counts(meeting: Meeting, actor, step: int) -> tuple[int, int]:
    """(wrong codes in this step, wrong codes at this meeting) of the account."""
    with unscoped():
        rows = SignInFailure.objects.unscoped_all().filter(meeting=meeting, user=actor)
        return rows.filter(step=step).count(), rows.count()


def _throttle_check(meeting: Meeting, actor, at: dt.datetime, step_seconds: int) -> None:
    step = step_of(at, step_seconds)
    in_step, in_meeting = _wrong_counts(meeting, actor, step)
    if in_meeting >= WRONG_PER_MEETING:
        raise _refuse(
            _("签到码输错次数过多，本次会议不能再自助签到，请联系支部书记登记出席"),
            "code",
        )
    if in_step >= WRONG_PER_STEP:
        wait = math.ceil((_step_start(step + 1, step_seconds) - at).total_seconds())
        raise _refuse(
            _("签到码输错次数过多，请%(seconds)d秒后再输入会场上显示的最新签到码")
            % {"seconds": max(1, wait)},
            "code",
        )


def _locked(meeting: Meeting) -> Meeting:
    with unscoped():
        return (
            Meeting.objects.unscoped_all()
            .select_for_update(of=("self",))
            .select_related("org", "minutes", "convener", "recorder")
            .get(pk=meeting.pk)
        )


def _attendance_of(meeting: Meeting, member: Member) -> Attendance | None:
    with unscoped():
        return (
            Attendance.objects.unscoped_all()
            .select_for_update()
            .filter(meeting=meeting, member=member)
            .first()
        )


def _when(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M") if moment else ""


@transaction.atomic
def _sign_in(*, actor, member: Member, meeting: Meeting, code: str, method: str, at: dt.datetime):
    """The sign-in in its transaction: the Attendance, or the refusal of a wrong code (after keeping it)."""
    meeting = _locked(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise _refuse(_("会议已取消，不能签到"))
    ensure_not_final(meeting)
    window = window_of(meeting)
    window.check(at)
    row = _attendance_of(meeting, member)
    if row is not None and row.status == AttendanceStatus.PRESENT:
        raise _refuse(
            _("您已于%(time)s签到，无需重复签到") % {"time": _when(row.signed_at or row.recorded_at)}
        )
    if row is None and member.status not in ACTIVE_STATUSES:
        raise _refuse(_("您不在本次会议的应到名单中，且不是在册党员，不能签到"))
    _throttle_check(meeting, actor, at, window.step_seconds)
    try:
        rules.sign_in_code_check(_secret(meeting), code, at, window.step_seconds)
    except RuleViolation as wrong:
        with unscoped():
            SignInFailure.objects.unscoped_all().create(
                meeting=meeting, user=actor, step=step_of(at, window.step_seconds), at=at
            )
        return wrong
    guest = row is None
    before = "" if guest else row.status
    if guest:
        row = Attendance(meeting=meeting, member=member, expected=False, voting=False)
    row.status = AttendanceStatus.PRESENT
    row.method = method
    row.signed_at = at
    row.recorded_by = actor
    row.recorded_at = at
    with unscoped():
        row.save()
    counts_refresh(meeting)
    record(
        actor=actor,
        action="meeting.sign_in",
        target=meeting,
        org_id=meeting.org_id,
        changes={
            "member": member.pk,
            "status": [before, AttendanceStatus.PRESENT],
            "method": method,
            "guest": guest,
            "signed_at": at.isoformat(),
        },
    )
    return row


def sign_in(
    *, scope: Scope, actor, meeting: Meeting, code: str, method: str, at: dt.datetime | None = None
) -> Attendance:
    """The signed-in member signs themselves in at `meeting` by the code shown there (`method` "code") or
    its QR code ("qr"), within the policy's window (MTG-SIGN-IN). Recorded present with the method and the
    time; a member not on the roster is added as a guest; the stored counts follow. Refused: an account
    without a member record, a cancelled meeting, final minutes (MTG-MINUTES-FINAL), outside the window, a
    member already signed in (nothing changes), a wrong or expired code, too many wrong codes."""
    at = at or timezone.now()
    if method not in SELF_METHODS:
        raise _refuse(_("签到方式应为签到码或扫码"), "method")
    member = own_member(scope=scope)
    if member is None or getattr(actor, "pk", None) is None or actor.pk != scope.user_id:
        raise _refuse(_("您的账号没有关联党员档案，不能自助签到，请联系支部书记登记"))
    code = normalized_code(code)
    if len(code) > CODE_MAX_LENGTH:
        raise _refuse(_("签到码不正确或已过期，请输入会场上显示的最新签到码"), "code")
    result = _sign_in(actor=actor, member=member, meeting=meeting, code=code, method=method, at=at)
    if isinstance(result, RuleViolation):  # the wrong code is kept; the refusal is raised after its commit
        raise result
    return result
