from __future__ import annotations

from grassroots.core.scoping import Grant, Scope

from .models import RoleGrant, User


def scope_for_user(user) -> Scope:
    """The one place a Scope is built from a user's active grants (requests, API tokens, commands)."""
    if user is None or not user.is_authenticated:
        return Scope.anonymous()
    rows = RoleGrant.objects.filter(
        user=user, revoked_at__isnull=True, org__ended_on__isnull=True
    ).values_list("org_id", "org__path", "role")
    grants = tuple(Grant(org_id=o, path=p, role=r) for o, p, r in rows)
    return Scope(user_id=user.pk, grants=grants, label=user.get_username())


def grants_of(user) -> list[RoleGrant]:
    return list(
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("org")
        .order_by("org__path")
    )


def user_with_grant(*, username: str, org_id: int, role: str) -> User | None:
    """The user of that name if they hold an active `role` grant on the org `org_id`."""
    grant = (
        RoleGrant.objects.filter(user__username=username, org_id=org_id, role=role, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    return grant.user if grant is not None else None
