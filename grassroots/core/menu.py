"""The main menu (the navbar), from the entries each app registers, without core importing the apps.

Each app registers its entries in its `AppConfig.ready()`:

    menu.register("transfers", label=_("转接"), url="members:transfers", order=50,
                  visible=menu.holding(permissions.MEMBER_EDIT))

`url` is a URL name (reversed without arguments) or a callable of the request giving the address; `order`
places the entry (lower first); `visible(scope)` decides from the caller's scope — their grants and the
roles they hold — whether the entry is offered, so nobody is shown a page they would find empty or
forbidden. `entries_for(request)` gives the entries visible to the caller, in order: the accounts context
processor offers them to every page as `menu`. An anonymous caller gets none, and so does everyone when no
app registered any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .scoping import Scope

Visible = Callable[[Scope], bool]


@dataclass(frozen=True)
class Entry:
    """One registered menu entry."""

    key: str  # stable: the element id is "nav-<key>"
    label: Any  # a lazy translation, shown in the caller's language
    url: str | Callable[[Any], str]  # a URL name, or fn(request) -> address
    order: int
    visible: Visible


@dataclass(frozen=True)
class MenuItem:
    """An entry as one caller sees it."""

    key: str
    label: str
    url: str


def everyone(scope: Scope) -> bool:
    """Visible to every signed-in caller."""
    return True


def holding(roles: Iterable[str]) -> Visible:
    """Visible to callers who hold one of `roles` somewhere in their scope (the operator holds them all)."""
    wanted = frozenset(roles)

    def visible(scope: Scope) -> bool:
        return not scope.with_roles(wanted).is_empty

    return visible


_REGISTRY: dict[str, Entry] = {}


def register(
    key: str, *, label: Any, url: str | Callable[[Any], str], order: int, visible: Visible = everyone
) -> Entry:
    """Register (or replace) the entry `key`."""
    entry = Entry(key=key, label=label, url=url, order=order, visible=visible)
    _REGISTRY[key] = entry
    return entry


def registrations() -> list[Entry]:
    """Every registered entry, in menu order."""
    return sorted(_REGISTRY.values(), key=lambda e: (e.order, e.key))


def entries_for(request) -> list[MenuItem]:
    """The entries `request`'s caller may use, in menu order; none for an anonymous caller."""
    user = getattr(request, "user", None)
    scope = getattr(request, "scope", None)
    if scope is None or user is None or not user.is_authenticated:
        return []
    return [
        MenuItem(
            key=e.key,
            label=str(e.label),
            url=reverse(e.url) if isinstance(e.url, str) else e.url(request),
        )
        for e in registrations()
        if e.visible(scope)
    ]
