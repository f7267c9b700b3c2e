"""Turning domain errors into HTTP answers and form errors: the one mapping the views share."""

from __future__ import annotations

import functools

from django.http import Http404
from django.shortcuts import render

from .errors import NotFound, RuleViolation


def not_found_as_404(view):
    """Answer 404 for NotFound, so "missing" and "outside your scope" look the same."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404 from exc

    return wrapper


def add_rule_violation(form, exc: RuleViolation) -> None:
    """Show a service's refusal next to the field it names, or at the top of the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def render_partial(request, template: str, partial: str, context: dict, *, target: str | None = None):
    """Render the named partial for htmx requests aimed at it, the whole page otherwise."""
    htmx = getattr(request, "htmx", None)
    if htmx and (target is None or htmx.target == target):
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)
