"""Subtree scoping: the one mechanism that limits every read and write to the caller's part of the org tree.

A `Scope` is built once per request, API token or command (see accounts.selectors.scope_for_user). Org-owned
models use `ScopedManager`: `Model.objects.within(scope)` is the way to read them, and any other query through
the default manager raises `ScopeError` unless it runs inside an explicit `with unscoped():` block (services
and the tree library use those; grep for `unscoped()` to audit them). Paths are materialized tree paths, so a
subtree is one indexed prefix scan on both engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection, models
from django.db.models import Func, Q

from .errors import NotFound

_UNSCOPED: ContextVar[bool] = ContextVar("grassroots_unscoped", default=False)

# A character greater than every character of the tree library's path alphabet (0-9, A-Z).
_PATH_CEILING = "~"


class ScopeError(RuntimeError):
    """An org-owned query ran with neither a scope nor an explicit unscoped() block."""


@contextmanager
def unscoped() -> Iterator[None]:
    """Allow unscoped queries through scoped managers inside this block (services, tree maintenance)."""
    token = _UNSCOPED.set(True)
    try:
        yield
    finally:
        _UNSCOPED.reset(token)


def subtree_q(field_name: str, prefix: str, *, broad: bool = False) -> Q:
    """Rows whose path under `field_name` starts with `prefix`: an index range scan on both engines.

    PostgreSQL uses LIKE 'p%' (served by the varchar_pattern_ops index Django adds for indexed text columns);
    SQLite uses a binary range, since its LIKE is case-insensitive and skips the index.

    `broad`: the caller knows (from maintained figures) that the subtree holds many of the rows. SQLite keeps
    no statistics on ranges and takes any path range for a narrow one, so it starts from the orgs and reads
    every row of the subtree, even to show the first page of a list in another order; marked `likely()`
    (SQLite's planner hint, a no-op for the result) it walks the index of the list's order instead and
    stops at the page. PostgreSQL estimates the range from its statistics and gets no hint.
    """
    if connection.vendor == "postgresql":
        return Q(**{f"{field_name}__startswith": prefix})
    if broad:
        return likely(Q(**{f"{field_name}__gte": prefix})) & likely(
            Q(**{f"{field_name}__lt": prefix + _PATH_CEILING})
        )
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": prefix + _PATH_CEILING})


def likely(condition: Q) -> Q:
    """`condition`, with SQLite's planner told that it holds for most rows (`likely(X)`, a no-op for the
    result), so that it does not start from an index on it; unchanged on PostgreSQL, which has statistics."""
    if connection.vendor != "sqlite":
        return condition
    return Q(Func(condition, function="likely", output_field=models.BooleanField()))


@dataclass(frozen=True)
class Grant:
    """A role held on an org and therefore on its whole subtree."""

    org_id: int
    path: str
    role: str


@dataclass(frozen=True)
class Scope:
    """What one caller may see: the union of the subtrees of their grants."""

    user_id: int | None
    grants: tuple[Grant, ...] = ()
    is_system: bool = False
    label: str = field(default="", compare=False)

    @classmethod
    def system(cls, label: str = "system") -> Scope:
        """The whole tree, for seeding and provisioning commands run by an operator."""
        return cls(user_id=None, grants=(), is_system=True, label=label)

    @classmethod
    def anonymous(cls) -> Scope:
        return cls(user_id=None)

    @property
    def roots(self) -> tuple[str, ...]:
        """Granted paths with those inside another granted path removed."""
        paths = sorted({g.path for g in self.grants})
        out: list[str] = []
        for p in paths:
            if not any(p.startswith(r) for r in out):
                out.append(p)
        return tuple(out)

    @property
    def is_empty(self) -> bool:
        return not self.is_system and not self.grants

    def covers(self, path: str) -> bool:
        return self.is_system or any(path.startswith(g.path) for g in self.grants)

    def roles_at(self, path: str) -> frozenset[str]:
        return frozenset(g.role for g in self.grants if path.startswith(g.path))

    def has_role(self, path: str, roles: Iterable[str]) -> bool:
        return self.is_system or bool(self.roles_at(path) & frozenset(roles))

    def with_roles(self, roles: Iterable[str]) -> Scope:
        """The part of this scope granted with one of `roles` (e.g. the grants that may read member records)."""
        wanted = frozenset(roles)
        return Scope(
            user_id=self.user_id,
            grants=tuple(g for g in self.grants if g.role in wanted),
            is_system=self.is_system,
            label=self.label,
        )

    def narrowed(self, path: str) -> Scope:
        """This scope cut down to the subtree at `path`, which it must cover.

        A subtree read inside a covered path then filters by that one prefix instead of by every granted root
        and the subtree together.
        """
        if not self.covers(path):
            raise NotFound
        roles = self.roles_at(path) or frozenset({"system"})
        grants = tuple(Grant(org_id=0, path=path, role=r) for r in sorted(roles))
        return Scope(user_id=self.user_id, grants=grants, label=self.label)

    def q(self, field_name: str, *, broad: bool = False) -> Q:
        """A filter limiting `field_name` (a tree path) to this scope; matches nothing for an empty scope.
        `broad`: as for `subtree_q`."""
        if self.is_system:
            return Q()
        roots = self.roots
        if not roots:
            return Q(pk__in=[])
        q = Q()
        for root in roots:
            q |= subtree_q(field_name, root, broad=broad)
        return q


# How a user's scope is built: registered by the accounts app (the one place scopes are built from grants), so
# that core's command base can act "as a user" without importing accounts.
_user_scope_builder: list = []


def register_user_scope(builder) -> None:
    """Register `builder(user) -> Scope` (accounts does this in its AppConfig.ready)."""
    _user_scope_builder[:] = [builder]


def scope_of_user(user) -> Scope:
    """The scope of `user`'s active grants, through the registered builder; fails closed without one."""
    if not _user_scope_builder:
        raise ScopeError("no user scope builder registered (is grassroots.accounts installed?)")
    return _user_scope_builder[0](user)


class ScopedManagerMixin:
    """Default-manager behaviour for org-owned models: fail closed.

    The model names the path of its owning org with `scope_path` (e.g. "path" for Org, "org__path" for Member).
    """

    def get_queryset(self):
        if not _UNSCOPED.get():
            raise ScopeError(
                f"Unscoped query on {self.model.__name__}: use .within(scope) or an explicit unscoped() block"
            )
        return super().get_queryset()

    def within(self, scope: Scope, *, via: str | None = None, broad: bool = False) -> models.QuerySet:
        """Rows owned by an org inside `scope`; `via` names another path to scope by (e.g. "to_org__path");
        `broad` as for `subtree_q`."""
        qs = super().get_queryset()
        return qs.filter(scope.q(via or self.model.scope_path, broad=broad))

    def unscoped_all(self) -> models.QuerySet:
        """Every row, for a caller already inside unscoped(); kept separate so it stays grep-able."""
        if not _UNSCOPED.get():
            raise ScopeError(f"{self.model.__name__}.objects.unscoped_all() outside an unscoped() block")
        return super().get_queryset()


class ScopedManager(ScopedManagerMixin, models.Manager):
    pass
