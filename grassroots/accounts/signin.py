"""The steps of signing in on the web, kept in the session.

1. The password (Django's login form; django-axes counts every failure).
2. When the user has a confirmed TOTP device: the code. Until then the user is *not* signed in: the session
   holds only who passed step 1 (`PENDING`, for `PENDING_SECONDS`); a wrong code counts toward the lockout.
3. Once signed in, what the user still owes is decided once (`on_logged_in`, on Django's user_logged_in) and
   kept in the session, so no page pays a query for it: a user whose role requires two-factor sign-in
   (settings.GRASSROOTS_2FA_REQUIRED_ROLES) and who has no device owes the enrolment; a session signed in
   without the code while a device is confirmed (any other way in) owes the code and is signed out by
   middleware.SignInPolicyMiddleware. A user an administrator flagged owes a new password (User column).
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model

from . import selectors

STATE = "accounts_signin_owed"
PENDING = "accounts_signin_pending"
PENDING_SECONDS = 300

VERIFY = "verify"  # a session that skipped the code: signed out
ENROL = "accounts:totp"  # the enrolment page
PASSWORD = "accounts:password_change"


def on_logged_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if selectors.totp_device(user) is not None:
        session[STATE] = VERIFY
    elif selectors.two_factor_required(user):
        session[STATE] = ENROL
    else:
        session.pop(STATE, None)


def two_factor_done(request) -> None:
    """The session passed (or set up) its second factor."""
    request.session.pop(STATE, None)


def owed_step(request) -> str | None:
    """What the signed-in caller must do before anything else: VERIFY, ENROL, PASSWORD or None."""
    state = request.session.get(STATE)
    if state in (VERIFY, ENROL):
        return state
    if getattr(request.user, "must_change_password", False):
        return PASSWORD
    return None


def begin_pending(request, user, next_url: str) -> None:
    """Step 1 passed for `user`, who has a device: remember them (not signed in) for the code."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", None),
        "at": time.time(),
        "next": next_url,
    }


def pending(request):
    """(user, backend, next) of a step 1 passed less than PENDING_SECONDS ago, or None."""
    data = request.session.get(PENDING)
    if not data or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        return None
    return user, data.get("backend"), data.get("next") or ""


def end_pending(request) -> None:
    request.session.pop(PENDING, None)
