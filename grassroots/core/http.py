"""Turning domain errors into HTTP answers and form errors: the one mapping the views share.

- `form_view` runs a bound form through a service call: a refusal (`RuleViolation`) is shown on the form
  with its citation and rule id (`refusal_html`), success adds a message and redirects. `form_call` is the same without the page, for views
  that show the form's errors elsewhere.
- `NotFound` and a `RuleViolation` that escapes a view are mapped once, centrally, by
  `grassroots.core.middleware.DomainErrorMiddleware` (404 and a 422 page); views need no decorator.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .citations import citation
from .errors import NotFound, RuleViolation
from .hygiene import check_value

# What a form view may do besides a rule refusal: exception class → (form field or None, message).
Refusals = Mapping[type[Exception], tuple[str | None, Any]]


def not_found_as_404(view):
    """Answer 404 for NotFound. Kept for compatibility: the central middleware does this for every view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


def refusal_message(exc: RuleViolation) -> str:
    """The refusal as plain text, always naming its rule: the message once, then its source and the rule id
    (“…。依据：《中国共产党章程》第七条（REC-DATES）”)."""
    cited = citation(exc.rule_id, exc.message)
    source = _("依据：%(source)s") % {"source": cited.source} if cited.source else ""
    return f"{cited.message}{' ' + source if source else ''}（{cited.rule_id}）"


def refusal_html(exc: RuleViolation) -> str:
    """The refusal as a page shows it (core/_citation.html): the message once, 依据：《…》第…条 and the rule
    id as a small muted label. Safe HTML: every part is escaped by the template."""
    return render_to_string("core/_citation.html", {"c": citation(exc.rule_id, exc.message)})


def add_rule_violation(form, exc: RuleViolation, *, fields: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal next to the field it names, or at the top of the form. `fields` renames a
    service's field to the form's (e.g. {"to_org": "to_org_code"})."""
    field = (fields or {}).get(exc.field, exc.field)
    field = field if field in form.fields else None
    if field is not None:
        form.fields[field].widget.attrs["aria-invalid"] = "true"
    form.add_error(field, refusal_html(exc))


def clean_input(form) -> bool:
    """Input hygiene (core.hygiene) on a valid form's cleaned data: each value with a refused character, an
    integer out of range or an implausible date gets its refusal on its field. True when nothing was found."""
    clean = True
    for name, value in list(form.cleaned_data.items()):
        for item in value if isinstance(value, list | tuple) else (value,):
            try:
                check_value(item, field=name)
            except RuleViolation as exc:
                add_rule_violation(form, exc)
                clean = False
                break
    return clean


@dataclass(frozen=True)
class Called:
    """What `form_call` did: `ok` when the service ran, with its `result`; `refusal` when a rule refused."""

    ok: bool
    result: Any = None
    refusal: RuleViolation | None = None


def form_call(
    form,
    act: Callable[[dict[str, Any]], Any],
    *,
    fields: Mapping[str, str] | None = None,
    refusals: Refusals | None = None,
) -> Called:
    """Validate the bound form and, if valid, run `act(cleaned_data)`. A `RuleViolation` becomes a form error
    (on its field, else a non-field error); so does any exception class named in `refusals`."""
    if not form.is_valid() or not clean_input(form):
        return Called(ok=False)
    try:
        result = act(form.cleaned_data)
    except RuleViolation as exc:
        add_rule_violation(form, exc, fields=fields)
        return Called(ok=False, refusal=exc)
    except tuple(refusals or ()) as exc:
        field, message = next(v for k, v in refusals.items() if isinstance(exc, k))
        form.add_error(field, str(message))
        return Called(ok=False)
    return Called(ok=True, result=result)


def form_view(
    request,
    form,
    act: Callable[[dict[str, Any]], Any],
    *,
    success: str | Callable[[Any], str],
    message: Any,
    template: str,
    context: dict | Callable[[], dict],
    fields: Mapping[str, str] | None = None,
    refusals: Refusals | None = None,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole form page: GET shows the form; a valid POST runs `act(cleaned_data)` (a service call); on
    success add `message` (a string, or a function of the result) and redirect to `success` (a URL or URL
    name, or a function of the result giving one); on a refusal or invalid input show the form again with
    the errors, answering `status`. `context` (or a function building it, so the page around the form is
    read only when the form is shown) is rendered with `form` added. On htmx requests the redirect is an
    `HX-Redirect` and the page is the named `partial` when given."""
    if request.method == "POST":
        called = form_call(form, act, fields=fields, refusals=refusals)
        if called.ok:
            text = message(called.result) if callable(message) else message
            if text:
                messages.success(request, text)
            url = resolve_url(success(called.result) if callable(success) else success)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(url)
            return redirect(url)
    page = (context() if callable(context) else dict(context)) | {"form": form}
    use_partial = partial and getattr(request, "htmx", False)
    answer = status if request.method == "POST" else 200
    return render(request, f"{template}#{partial}" if use_partial else template, page, status=answer)


def render_partial(request, template: str, partial: str, context: dict, *, target: str | None = None):
    """Render the named partial for htmx requests aimed at it, the whole page otherwise."""
    htmx = getattr(request, "htmx", None)
    if htmx and (target is None or htmx.target == target):
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


def picker_text(request) -> str:
    """What was typed in an org picker's search box (templates/_org_picker.html)."""
    return (request.GET.get("picker_q") or request.GET.get("q") or "").strip()[:60]


def picker_answer(request, results, *, default_field: str) -> HttpResponse:
    """An org picker's fragment (templates/_org_picker_results.html) for `results`: radio buttons named after
    the form's field (`?field=`, lower-case letters and underscores only), valued by org code."""
    field = request.GET.get("field", "")
    if not re.fullmatch(r"[a-z_]{1,40}", field):
        field = default_field
    context = {"results": results, "field": field, "q": picker_text(request)}
    return render(request, "_org_picker_results.html", context)
