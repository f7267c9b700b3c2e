"""The one place where the views' domain errors become HTTP answers (the API has its own, in grassroots/api.py).

- `NotFound` → the site's 404, exactly as for a missing object: "missing" and "not yours" look the same.
- `RuleViolation` that a view did not show on a form → a 422 page naming the rule.
- A page asked with a method it does not take (`require_GET`, `require_POST`: an empty 405) → the site's 405
  page, keeping the `Allow` header. The other error pages (400, 403, 404, 500) are the templates of the same
  names, which Django's handlers render.
- Under /api/ an error response that is not JSON (the API's empty 405) becomes JSON (core.api_errors).

`InputHygieneMiddleware`, below, refuses before any view runs what no view should see (core/hygiene.py): a body
over the size limit, a path or query string with control characters, an API JSON body with them.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api_errors import api_error_answer, is_api
from .citations import citation
from .errors import NotFound, RuleViolation
from .hygiene import BIGINT_MAX, INPUT_SIZE, check_int, check_text, check_tree, refused_character

_NUMBER = re.compile(r"\d+")
_SIGNED_NUMBER = re.compile(r"[+-]?\d+")


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


class InputHygieneMiddleware:
    """Input hygiene (core.hygiene) on what every request carries before any form or schema reads it: the path
    and the query string, for pages and the API alike.

    - A body declared (Content-Length) larger than `settings.REQUEST_MAX_BYTES` (the largest document plus the
      form around it): 413 INPUT-SIZE before any of it is read.
    - A path holding a refused character, or a number beyond a 64-bit id, names nothing: 404.
    - A query value holding a refused character: 422 INPUT-TEXT; on the API also a whole-number value beyond
      a 64-bit integer: 422 INPUT-INT (its query and form are checked again, with their dates, by its parser).
    - An API request's JSON body: `check_tree` (text, integers, dates by field name): 422 INPUT-*. A body
      that is not JSON, or too large, is left to the operation, which answers it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        too_big = _too_big(request)
        if too_big is not None:
            return _refused(request, too_big, api=api, status=413)
        path = request.path_info
        if refused_character(path) is not None or any(int(n) > BIGINT_MAX for n in _NUMBER.findall(path)):
            if api:
                return JsonResponse({"detail": _("未找到")}, status=404)
            raise Http404
        try:
            for key, values in request.GET.lists():
                check_text(key, field=key)
                for value in values:
                    check_text(value, field=key)
                    if api and _SIGNED_NUMBER.fullmatch(value):
                        check_int(int(value), field=key)
            if api and request.content_type == "application/json":
                body = _json_body(request)
                if body is not None:
                    check_tree(body)
        except RuleViolation as exc:
            return _refused(request, exc, api=api, status=422)
        return self.get_response(request)


def _refused(request, exc: RuleViolation, *, api: bool, status: int):
    """A refusal before any view ran: the API's JSON body, or the site's refusal page."""
    if api:
        return JsonResponse(exc.as_dict(), status=status)
    context = {"refusal": exc, "cited": citation(exc.rule_id, exc.message)}
    return render(request, "core/refused.html", context, status=status)


def _too_big(request) -> RuleViolation | None:
    """INPUT-SIZE when the declared body is over the limit (an unreadable length is left to Django)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    limit = settings.REQUEST_MAX_BYTES
    if length <= limit:
        return None
    return RuleViolation(
        INPUT_SIZE,
        _("请求内容过大：不能超过 %(limit)s MB") % {"limit": f"{limit / (1024 * 1024):g}"},
    )


def _json_body(request):
    """The request's JSON body, or None when it is empty, too large or not JSON."""
    try:
        raw = request.body
    except RequestDataTooBig:
        return None
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None
