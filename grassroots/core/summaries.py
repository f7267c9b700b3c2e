"""Org-page summary cards from the domain apps, without orgs (or core) importing them.

An app registers, in its `AppConfig.ready()`, a function `fn(*, scope, org) -> OrgSummary | None` giving its
figures for `org`'s subtree (None where the caller may not read them). The org page shows each card; every
figure links to the list behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .scoping import Scope


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str


@dataclass(frozen=True)
class OrgSummary:
    category: str
    title: str
    url: str
    figures: list[Figure]


_REGISTRY: dict[str, Callable[..., OrgSummary | None]] = {}


def register(
    provider: Callable[..., OrgSummary | None], *, category: str
) -> Callable[..., OrgSummary | None]:
    _REGISTRY[category] = provider
    return provider


def for_org(*, scope: Scope, org: Any) -> list[OrgSummary]:
    out = []
    for provider in _REGISTRY.values():
        summary = provider(scope=scope, org=org)
        if summary is not None:
            out.append(summary)
    return out
