"""Signing in at a meeting: MTG-SIGN-IN (the project's own rule).

Readings taken:
- The code shown at the meeting (and in its QR code, a URL the caller builds) rotates: a TOTP (RFC 6238, via
  `django_otp.oath`) of the meeting's secret, `step_seconds` long (30), `digits` digits (6).
- A code is accepted in its own step and the step after it, never later: a code photographed and sent
  elsewhere stops working within two steps (a minute). Codes of future steps are not accepted. The comparison
  takes constant time.
- Sign-in opens `opens_before_minutes` (30) before the start and closes `closes_after_minutes` (60) after the
  end, or after start + 3 hours when no end is recorded. Both bounds are inclusive.
- Times are aware datetimes (a naive one is a ValueError); the caller passes its clock as `now`/`at`.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from grassroots.core.dates import cn_date

from .base import _refuse

_RULE = "MTG-SIGN-IN"
SIGN_IN_STEP_SECONDS = 30
SIGN_IN_DIGITS = 6
OPENS_BEFORE_MINUTES = 30
CLOSES_AFTER_MINUTES = 60
SIGN_IN_DEFAULT_LENGTH = dt.timedelta(hours=3)  # a meeting without a recorded end

WINDOW_OPEN = "open"
WINDOW_NOT_YET = "not_yet"
WINDOW_CLOSED = "closed"


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("sign-in times must be aware datetimes")
    return moment


def _token(secret: bytes, at: dt.datetime, step_seconds: int, digits: int, drift: int) -> str:
    totp = TOTP(secret, step=step_seconds, digits=digits, drift=drift)
    totp.time = _aware(at).timestamp()
    return f"{totp.token():0{digits}d}"


def sign_in_code(
    secret: bytes, at: dt.datetime, step_seconds: int = SIGN_IN_STEP_SECONDS, digits: int = SIGN_IN_DIGITS
) -> str:
    """The code shown at `at`: `digits` digits, zero-padded."""
    return _token(secret, at, step_seconds, digits, 0)


def sign_in_verify(
    secret: bytes,
    code: str,
    at: dt.datetime,
    step_seconds: int = SIGN_IN_STEP_SECONDS,
    digits: int = SIGN_IN_DIGITS,
) -> bool:
    """Whether `code` (surrounding spaces ignored) is the code of the step of `at` or of the step before."""
    given = code.strip()
    if len(given) != digits or not given.isascii() or not given.isdigit():
        return False
    ok = False
    for drift in (0, -1):
        # Both steps are compared, whatever the first gave: the time taken does not tell which matched.
        ok |= hmac.compare_digest(_token(secret, at, step_seconds, digits, drift), given)
    return ok


def sign_in_bounds(
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    opens_before_minutes: int = OPENS_BEFORE_MINUTES,
    closes_after_minutes: int = CLOSES_AFTER_MINUTES,
) -> tuple[dt.datetime, dt.datetime]:
    """When sign-in opens and closes (both inclusive)."""
    starts_at = _aware(starts_at)
    end = _aware(ends_at) if ends_at is not None else starts_at + SIGN_IN_DEFAULT_LENGTH
    return (
        starts_at - dt.timedelta(minutes=opens_before_minutes),
        end + dt.timedelta(minutes=closes_after_minutes),
    )


def sign_in_window(
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    now: dt.datetime,
    opens_before_minutes: int = OPENS_BEFORE_MINUTES,
    closes_after_minutes: int = CLOSES_AFTER_MINUTES,
) -> str:
    """open, not_yet or closed at `now`."""
    opens, closes = sign_in_bounds(starts_at, ends_at, opens_before_minutes, closes_after_minutes)
    if _aware(now) < opens:
        return WINDOW_NOT_YET
    if now > closes:
        return WINDOW_CLOSED
    return WINDOW_OPEN


def _when(moment: dt.datetime) -> str:
    return _("%(date)s %(time)s") % {"date": cn_date(moment.date()), "time": moment.strftime("%H:%M")}


def sign_in_check(
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    now: dt.datetime,
    opens_before_minutes: int = OPENS_BEFORE_MINUTES,
    closes_after_minutes: int = CLOSES_AFTER_MINUTES,
) -> None:
    """MTG-SIGN-IN: refuses signing in outside the window (times in messages as given, in their own zone)."""
    state = sign_in_window(starts_at, ends_at, now, opens_before_minutes, closes_after_minutes)
    opens, closes = sign_in_bounds(starts_at, ends_at, opens_before_minutes, closes_after_minutes)
    if state == WINDOW_NOT_YET:
        raise _refuse(_RULE, _("签到尚未开始，%(when)s起可以签到") % {"when": _when(opens)})
    if state == WINDOW_CLOSED:
        raise _refuse(_RULE, _("签到已于%(when)s结束，请联系支部书记补录") % {"when": _when(closes)})


def sign_in_code_check(
    secret: bytes,
    code: str,
    at: dt.datetime,
    step_seconds: int = SIGN_IN_STEP_SECONDS,
    digits: int = SIGN_IN_DIGITS,
) -> None:
    """MTG-SIGN-IN: refuses a code that is not the current one (or the one before), field "code"."""
    if not sign_in_verify(secret, code, at, step_seconds, digits):
        raise _refuse(_RULE, _("签到码不正确或已过期，请输入会场上显示的最新签到码"), "code")
