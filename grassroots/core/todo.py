"""The to-do registry: what is due or overdue, gathered from every domain app without core importing them.

Each app registers a provider in its `AppConfig.ready()`:

    todo.register(due_items, category="recruitment", label=_("发展党员"), list_url=board_url)

A provider is `fn(*, scope, org, today, limit) -> Found`: of what the caller may see in `org`'s subtree
(`org=None`: the whole scope) that is overdue or due soon, the `limit` most urgent items (`limit=None`: all)
and how many there are in all and overdue. A provider over many rows counts in SQL (a COUNT, or COUNT(*) OVER ()
beside the rows shown) and fetches only the items shown; one with a short list in hand may answer `Found.of(items, limit)`. It must answer
`Found.none()` rather than raise where the caller may not read that part of the tree. `collect()` merges
every provider's items, most urgent first, and keeps each category's counts. The home page asks for the
caller's whole scope, the org page for the org's subtree, each for the few items it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .scoping import Scope

Provider = Callable[..., "Found"]


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: `title` (the step) for `subject` (a person or an org) in `org`, due by `due_by`
    under `rule_id`; `url` opens the one screen that resolves it."""

    category: str  # the registering app's label, e.g. "recruitment"
    rule_id: str
    title: str
    subject: str
    org: Any  # orgs.Org (core does not import the domain apps); None for an item of no org (the calendar)
    due_by: dt.date | None
    overdue: bool
    url: str

    @property
    def sort_key(self) -> tuple:
        return (not self.overdue, self.due_by or dt.date.max, self.subject, self.title)


@dataclass(frozen=True)
class Found:
    """A provider's answer: the most urgent items (at most the limit asked for) and the counts of them all."""

    items: list[TodoItem]
    total: int
    overdue: int

    @classmethod
    def of(cls, items: list[TodoItem], limit: int | None = None) -> Found:
        """Counted and cut from a complete list of items."""
        ordered = sorted(items, key=lambda item: item.sort_key)
        return cls(
            items=ordered[:limit] if limit is not None else ordered,
            total=len(items),
            overdue=sum(1 for item in items if item.overdue),
        )

    @classmethod
    def none(cls) -> Found:
        return cls(items=[], total=0, overdue=0)


@dataclass(frozen=True)
class Registration:
    category: str
    label: str
    provider: Provider
    list_url: Callable[[Any], str] | None = None  # the full list for an org (None: the whole scope)


@dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str
    total: int
    overdue: int
    url: str | None


@dataclass(frozen=True)
class Todos:
    """The providers' items (each category's most urgent), most urgent first (overdue, then by due date), and
    the counts per category of everything found."""

    items: list[TodoItem]
    counts: list[CategoryCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.total for c in self.counts)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.counts)


_REGISTRY: dict[str, Registration] = {}


def register(
    provider: Provider, *, category: str, label: str, list_url: Callable[[Any], str] | None = None
) -> Provider:
    """Register (or replace) the provider of `category`; returns it, so it can decorate."""
    _REGISTRY[category] = Registration(category, label, provider, list_url)
    return provider


def registrations() -> list[Registration]:
    return list(_REGISTRY.values())


def collect(*, scope: Scope, org: Any = None, today: dt.date, limit: int | None = None) -> Todos:
    """The to-do of `org`'s subtree (or the caller's whole scope) on `today`, from every registered app: the
    `limit` most urgent items of each category (None: all of them) and the counts of all."""
    items: list[TodoItem] = []
    counts: list[CategoryCount] = []
    for reg in _REGISTRY.values():
        found = reg.provider(scope=scope, org=org, today=today, limit=limit)
        items.extend(found.items)
        counts.append(
            CategoryCount(
                category=reg.category,
                label=str(reg.label),
                total=found.total,
                overdue=found.overdue,
                url=reg.list_url(org) if reg.list_url else None,
            )
        )
    return Todos(items=sorted(items, key=lambda item: item.sort_key), counts=counts)


@dataclass(frozen=True)
class TodoSection:
    """One category of the to-do registry (core.todo) as a panel: the count and the most urgent items."""

    count: CategoryCount
    items: list[TodoItem]


def sections(todos: Todos, limit: int | None = None) -> list[TodoSection]:
    """The categories that have something to do, each with its `limit` most urgent items (home, org page)."""
    return [
        TodoSection(count=c, items=[i for i in todos.items if i.category == c.category][:limit])
        for c in todos.counts
        if c.total
    ]
