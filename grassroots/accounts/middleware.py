from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django_htmx.http import HttpResponseClientRedirect

from . import signin
from .selectors import scope_for_user


class ScopeMiddleware:
    """Puts the caller's Scope on the request (built lazily, once, by accounts.selectors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for_user(request.user))
        return self.get_response(request)


# Pages a signed-in user who still owes a step may open: the step itself, signing out, the language switch.
_ALWAYS = {"accounts:logout", "set_language"}


class SignInPolicyMiddleware:
    """A signed-in user who owes a step of the sign-in policy reaches only that step's page (or signs out):
    a user whose role requires two-factor sign-in and who has no device → the enrolment page; a user an
    administrator flagged → the password change page. A session that skipped its two-factor code (it was
    signed in some other way while a device is confirmed) is signed out. What is owed was decided once, at
    sign-in (accounts.signin, kept in the session), so pages make no extra query; the flag is the user's own
    column, read with the user. The JSON API has its own checks (accounts.services.token_issue)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        owed = signin.owed_step(request)
        if owed == signin.VERIFY:
            logout(request)
            return redirect("accounts:login")
        if owed is None:
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            name = ""
        if name == owed or name in _ALWAYS:
            return self.get_response(request)
        target = reverse(owed)
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(target)
        return redirect(target)
