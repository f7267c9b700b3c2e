"""Which roles may do what. A grant's role applies to the granted org and its whole subtree.

`require()` is the one check services call: outside the scope it raises NotFound (the same answer as a
missing object), inside the scope without the role it raises PermissionDenied.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope

from .roles import Role

ADMIN = frozenset({Role.ORG_ADMIN})
ORG_EDIT = frozenset({Role.ORG_ADMIN, Role.SECRETARY})
ORG_VIEW = frozenset(Role.values)
MEMBER_VIEW = frozenset({Role.ORG_ADMIN, Role.SECRETARY, Role.OFFICER, Role.VIEWER})
MEMBER_EDIT = frozenset({Role.ORG_ADMIN, Role.SECRETARY, Role.OFFICER})
ID_NUMBER_VIEW = frozenset({Role.ORG_ADMIN, Role.SECRETARY, Role.OFFICER})
AUDIT_VIEW = MEMBER_VIEW


def require(scope: Scope, roles: frozenset[str], path: str) -> None:
    if not scope.covers(path):
        raise NotFound
    if not scope.has_role(path, roles):
        raise PermissionDenied


def allows(scope: Scope, roles: frozenset[str], path: str) -> bool:
    return scope.covers(path) and scope.has_role(path, roles)
