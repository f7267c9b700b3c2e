"""Login lockout (django-axes): every failed credential check counts, whatever the request's body looks like.

axes' database handler records a failure with a copy of the form fields (`request.POST`). Reading them from
a body that does not parse (`multipart/form-data` without a boundary, a truncated multipart body, …) raises,
and the failure was then never recorded: the token endpoint answered 400 to a wrong password and 200 to the
right one, an unlimited oracle. `LockoutHandler` (settings.AXES_HANDLER) reads the fields defensively, so a
failure is always counted; the sign-in entry points also refuse such bodies before any password is checked.
Failures that are not a password (a wrong two-factor code) are counted with `count_failure`.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError


def settle_form_fields(request) -> None:
    """Make `request.POST` readable: a body whose form fields cannot be parsed counts as having none."""
    try:
        request.POST  # noqa: B018 - parsing on access is the point
    except (MultiPartParserError, ValueError, OSError):
        request.POST = QueryDict()


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting the failure even when the body's form fields cannot be parsed."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is not None:
            settle_form_fields(request)
        return super().user_login_failed(sender, credentials, request, **kwargs)


def credentials_of(username: str) -> dict:
    return {"username": username}


def is_locked(request, username: str) -> bool:
    """Whether sign-in for `username` from this client is locked out now."""
    return not AxesProxyHandler.is_allowed(request, credentials_of(username))


def count_failure(request, username: str) -> None:
    """Count one failed check (e.g. a wrong two-factor code) toward the lockout, as a wrong password is."""
    user_login_failed.send(sender=__name__, credentials=credentials_of(username), request=request)
