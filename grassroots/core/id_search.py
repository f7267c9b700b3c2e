"""Searches by ID number stay out of URLs. A URL is written to the access log of every server it passes
(runserver, gunicorn, a reverse proxy), so a list's search text that holds an ID number — or a long run of
digits, the start of one as it is typed — is sent in the `X-Search` request header instead of `?q=`: the
member list's and the ledger's search boxes do it (static/grassroots/idsearch.js), and API clients do it
too. Pages and API lists read the header first (`search_data`); a `?q=` holding a whole ID number is refused
(`in_url`): the API answers 422 API-ID-SEARCH, a page redirects to itself without the number.

The header's value is percent-encoded UTF-8 (encodeURIComponent), so that any search text may travel in it."""

from __future__ import annotations

import re
from functools import wraps
from typing import Annotated, Any
from urllib.parse import unquote

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.params.functions import Header

from .errors import RuleViolation
from .textsearch import normalize_query

HEADER = "X-Search"
MAX_LENGTH = 200

# A whole ID number inside a text: 17 digits and a digit or X, not part of a longer run of digits.
_WHOLE = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")
# What the search boxes send in the header rather than the URL: any run of six digits or more (an ID
# number's region code, or its start as it is typed, or a phone number). Kept equal to idsearch.js.
SENT_IN_HEADER = re.compile(r"[0-9]{6,}")


def holds_id_number(text: str | None) -> bool:
    """Whether `text` (as a search normalizes it: full-width digits count) holds a whole ID number."""
    return bool(_WHOLE.search(normalize_query(text or "").upper()))


def from_header(request) -> str | None:
    """The search text sent in the X-Search header, decoded; None without the header."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    return unquote(raw)[:MAX_LENGTH]


def in_url(request) -> bool:
    """Whether the request's URL carries an ID number in its search (`?q=`)."""
    return holds_id_number(request.GET.get("q"))


def search_data(request) -> QueryDict:
    """The request's query parameters with `q` taken from the X-Search header when one was sent."""
    data = request.GET.copy()
    header = from_header(request)
    if header is not None:
        data["q"] = header
    return data


def without_search(request) -> str:
    """The request's path and query without `q`: where a page sends a URL that carried an ID number."""
    data = request.GET.copy()
    data.pop("q", None)
    return f"{request.path}?{data.urlencode()}" if data else request.path


def kept_out_of_urls(view):
    """A list page's view: a URL whose `?q=` holds an ID number is sent back to the page without it (and a
    message saying to type the number in the search box, which sends it in the header)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if in_url(request):
            messages.warning(request, _("身份证号请在搜索框中输入，不要写在网址里（网址会被服务器日志记录）"))
            return redirect(without_search(request))
        return view(request, *args, **kwargs)

    return wrapped


# The header as an API list operation declares it (documented in the OpenAPI schema).
SearchHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=3 * MAX_LENGTH,
        description="The search text (as ?q= reads it), percent-encoded UTF-8: a search by ID number goes "
        "here, never in the URL, so that access logs do not record it",
    ),
]


def api_data(filters: Schema, search: str | None) -> dict[str, Any]:
    """The values an API list request sent, to bind its filterset to: the query's filters, with `q` from the
    X-Search header when sent. A `?q=` holding a whole ID number is refused (422 API-ID-SEARCH)."""
    data = filters.model_dump(exclude_none=True)
    if search is not None:
        data["q"] = unquote(search)[:MAX_LENGTH]
    elif holds_id_number(data.get("q")):
        raise RuleViolation(
            "API-ID-SEARCH",
            _("身份证号不能写在网址里（网址会被服务器日志记录），请放在 X-Search 请求头中检索"),
            field="q",
        )
    return data
