"""Response headers for pages that may show personal data."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response Django renders: no browser or proxy keeps a copy.

    Member and applicant pages, lists, exports and the API's answers all show personal data; a page for an
    anonymous visitor (the login form, an error page) loses nothing by not being cached either. Static files
    never reach this middleware: WhiteNoise answers them first, with their own long cache headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
