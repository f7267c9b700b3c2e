"""The one place where the views' domain errors become HTTP answers (the API has its own, in grassroots/api.py).

- `NotFound` → the site's 404, exactly as for a missing object: "missing" and "not yours" look the same.
- `RuleViolation` that a view did not show on a form → a 422 page naming the rule.
- A page asked with a method it does not take (`require_GET`, `require_POST`: an empty 405) → the site's 405
  page, keeping the `Allow` header. The other error pages (400, 403, 404, 500) are the templates of the same
  names, which Django's handlers render.
- Under /api/ an error response that is not JSON (the API's empty 405) becomes JSON (core.api_errors).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from .api_errors import api_error_answer, is_api
from .citations import citation
from .errors import NotFound, RuleViolation


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request):
            return api_error_answer(request, response)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404 from exception
        if isinstance(exception, RuleViolation):
            context = {"refusal": exception, "cited": citation(exception.rule_id, exception.message)}
            return render(request, "core/refused.html", context, status=422)
        return None
