"""Stored derived data: tables (or columns) computed from the records, kept current by the services that change
the records, and — for everything the services cannot see coming — one mechanism here: the fill after `migrate`,
the refresh of a subtree in batches, the drift check, the command (`grassroots derived_refresh`) and the
nightly run.

Each app registers its derived tables in its `AppConfig.ready()` with `register(Derived(...))`; core imports
no app and knows them only through this registry. A registration supplies callables:

- `refresh(*, scope, actor, org, batch_size) -> list[str]`: bring the table up to date for the subtree of the
  org with code `org` (None: the whole scope) in batches of `batch_size` (None: the table's own default),
  set-based, idempotent, writing only the rows that differ; it checks the caller's permission and returns the
  lines to show.
- `drift(*, scope, org) -> list[str]`: read only; one line per row that differs from what the records give
  now, [] when they agree (`--check`).
- `missing() -> bool` and `fill()`: after `migrate` (as the operator, inside `unscoped()`), whether a fill is
  needed and the fill itself. With `since`, the fill is considered only when that run of `migrate` applied
  that migration (the one that created the table).
- `after`: the derived tables this one is computed from; fills, refreshes and checks run in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS

from . import permissions
from .scoping import Scope, unscoped

Nightly = Literal["refresh", "check", ""]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Derived:
    """One stored derived table and what keeps it right besides the services."""

    name: str  # the command's NAME: "member_figures"
    label: str  # in messages: "member figures"
    source: str = "the records"  # what it is derived from, in messages: "the members"
    unit: str = "rows"  # what a drift line is about: "orgs", "dossiers"
    refresh: Callable[..., list[str]] | None = None
    drift: Callable[..., list[str]] | None = None
    fill: Callable[[], Any] | None = None
    missing: Callable[[], bool] = _always
    since: tuple[str, str] | None = None  # (app_label, migration name)
    after: tuple[str, ...] = ()
    # What the nightly run does with it: recompute ("refresh": the table goes stale with time), only compare
    # ("check": the services keep it exact, so a difference is a fault to report), or nothing ("").
    nightly: Nightly = "refresh"

    def __post_init__(self) -> None:
        if self.nightly == "refresh" and self.refresh is None:
            raise ImproperlyConfigured(f"derived table {self.name!r}: a nightly refresh needs `refresh`")
        if self.nightly == "check" and self.drift is None:
            raise ImproperlyConfigured(f"derived table {self.name!r}: a nightly check needs `drift`")


class Registry:
    """The derived tables of the installation, by name (`REGISTRY` is the one the apps fill)."""

    def __init__(self) -> None:
        self._tables: dict[str, Derived] = {}

    def register(self, table: Derived) -> Derived:
        known = self._tables.get(table.name)
        if known is not None and known != table:
            raise ImproperlyConfigured(f"derived table {table.name!r} is registered twice")
        self._tables[table.name] = table
        return table

    def names(self) -> list[str]:
        return [t.name for t in self.ordered()]

    def ordered(self, names: Iterable[str] | None = None) -> list[Derived]:
        """The tables (all, or those named) in dependency order: each after the tables it names in `after`,
        otherwise in registration order. An unknown name raises KeyError; an unknown `after` or a cycle
        raises ImproperlyConfigured."""
        for table in self._tables.values():
            for before in table.after:
                if before not in self._tables:
                    raise ImproperlyConfigured(
                        f"derived table {table.name!r} is computed after unknown {before!r}"
                    )
        # Each time, the first table in registration order whose dependencies are all placed.
        order: list[str] = []
        waiting = list(self._tables.values())
        while waiting:
            ready = next((t for t in waiting if all(b in order for b in t.after)), None)
            if ready is None:
                cycle = ", ".join(t.name for t in waiting)
                raise ImproperlyConfigured(f"derived tables depend on each other in a cycle: {cycle}")
            order.append(ready.name)
            waiting.remove(ready)
        if names is not None:
            wanted = list(dict.fromkeys(names))
            for name in wanted:
                if name not in self._tables:
                    raise KeyError(name)
            order = [n for n in order if n in wanted]
        return [self._tables[n] for n in order]

    def fill_missing(self, *, plan: Sequence[tuple[Any, bool]] | None) -> list[str]:
        """Fill, in dependency order, the tables whose fill is due after a `migrate` that ran `plan` (a list of
        (migration, backwards)); returns the names filled. Runs the current code on the migrated schema."""
        applied = {(m.app_label, m.name) for m, backwards in plan or () if not backwards}
        filled = []
        for table in self.ordered():
            if table.fill is None or (table.since is not None and table.since not in applied):
                continue
            with unscoped():
                if not table.missing():
                    continue
                table.fill()
            filled.append(table.name)
        return filled


REGISTRY = Registry()


def subtrees(scope: Scope, path: str | None, roles: frozenset[str]) -> list[str | None]:
    """The subtrees a refresh or check covers: the one at `path` (an org's), or every root of the scope (None:
    the whole tree, for the operator). The caller must hold one of `roles` there (NotFound outside the scope,
    PermissionDenied inside it without the role)."""
    if path is not None:
        permissions.require(scope, roles, path)
        return [path]
    if scope.is_system:
        return [None]
    for root in scope.roots:
        permissions.require(scope, roles, root)
    return list(scope.roots)


def register(table: Derived) -> Derived:
    """Register a derived table (from an app's `AppConfig.ready()`)."""
    return REGISTRY.register(table)


def _last_app_with_models():
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    return configs[-1] if configs else None


def fill_after_migrate(sender, *, plan=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The `post_migrate` receiver (connected once, by core's AppConfig). Django sends `post_migrate` once per
    app that has models, after the whole plan has been applied: the fills run once, on the last of them,
    when every app's schema is in place and the other apps' own post_migrate work is done. Only the default
    database holds the tables."""
    if using != DEFAULT_DB_ALIAS or sender is not _last_app_with_models():
        return
    REGISTRY.fill_missing(plan=plan)
