"""One filterset per list, serving both the page and the API.

A list's filters are a django-filter `FilterSet` in the app's `filters.py`. The page binds it to
`request.GET`; the API declares `Query[query_schema(TheFilter)]` — a ninja schema built from the same
filterset, so both accept exactly the same parameters (names, choices, lengths, number ranges) — and binds
the filterset to the parsed values (`filters.model_dump(exclude_none=True)`). A filterset never reads on its own: it filters a
queryset a scoped selector returned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import django_filters
from ninja import Schema
from pydantic import Field, create_model


def _choices(f: django_filters.Filter) -> tuple[str, ...]:
    choices = f.extra.get("choices", ())
    choices = choices() if callable(choices) else choices
    return tuple(str(value) for value, _label in choices if value != "")


def _field(f: django_filters.Filter) -> tuple[Any, Any]:
    required = bool(f.extra.get("required"))
    description = str(f.extra.get("help_text") or f.label or "")
    constraints: dict[str, Any] = {"description": description}
    if isinstance(f, django_filters.MultipleChoiceFilter):
        annotation: Any = list[Literal[_choices(f)]]
    elif isinstance(f, django_filters.ChoiceFilter):
        annotation = Literal[_choices(f)]
    elif isinstance(f, django_filters.BooleanFilter):
        annotation = bool
    elif isinstance(f, django_filters.DateFilter):
        annotation = dt.date
    elif isinstance(f, django_filters.NumberFilter):
        annotation = int
        for bound_name, key in (("ge", "min_value"), ("le", "max_value")):
            if f.extra.get(key) is not None:
                constraints[bound_name] = f.extra[key]
    else:
        annotation = str
        if f.extra.get("max_length"):
            constraints["max_length"] = f.extra["max_length"]
    if required:
        return annotation, Field(..., **constraints)
    return annotation | None, Field(None, **constraints)


def query_schema(filterset: type[django_filters.FilterSet], name: str) -> type[Schema]:
    """The ninja query schema of a filterset: one optional parameter per filter (required where the filter
    is), typed from the filter (choices become enumerations)."""
    fields = {fname: _field(f) for fname, f in filterset.base_filters.items()}
    return create_model(name, __base__=Schema, **fields)


def bound(schema_instance: Schema) -> dict[str, Any]:
    """The values an API request sent, to bind a filterset to."""
    return schema_instance.model_dump(exclude_none=True)
