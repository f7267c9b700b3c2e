"""Response headers for pages that may show personal data."""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response Django renders, so that no browser or proxy keeps a copy.

    Member and applicant pages, lists, exports and the API's answers all show personal data; a page for an
    anonymous visitor (the login form, an error page) loses nothing by not being cached either. Static files
    never reach this middleware: WhiteNoise answers them first, with their own long cache headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
