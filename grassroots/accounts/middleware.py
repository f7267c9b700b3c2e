from django.utils.functional import SimpleLazyObject

from .selectors import scope_for_user


class ScopeMiddleware:
    """Puts the caller's Scope on the request (built lazily, once, by accounts.selectors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for_user(request.user))
        return self.get_response(request)
