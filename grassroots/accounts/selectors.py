from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied

from grassroots.core import permissions
from grassroots.core.errors import NotFound
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


def totp_device(user, *, confirmed: bool = True):
    """The user's TOTP device (django-otp): the confirmed one, or with confirmed=False the one being enrolled."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user is None or not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def two_factor_required(user) -> bool:
    """Whether the sign-in policy (settings.GRASSROOTS_2FA_REQUIRED_ROLES) requires a device of this user."""
    roles = tuple(settings.GRASSROOTS_2FA_REQUIRED_ROLES)
    if not roles:
        return False
    return RoleGrant.objects.filter(user=user, role__in=roles, revoked_at__isnull=True).exists()


def _grant_paths(user_id: int) -> list[str]:
    return list(
        RoleGrant.objects.filter(user_id=user_id, revoked_at__isnull=True, org__ended_on__isnull=True)
        .values_list("org__path", flat=True)
        .distinct()
    )


def administered_users(scope: Scope) -> list[User]:
    """The users holding an active grant on an org where the caller is an org admin, by username."""
    admin = scope.with_roles(permissions.ADMIN)
    if admin.is_empty:
        return []
    grants = RoleGrant.objects.filter(revoked_at__isnull=True, org__ended_on__isnull=True).filter(
        admin.q("org__path")
    )
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("username"))


def user_get(*, scope: Scope, user_id: int, roles=permissions.ADMIN) -> User:
    """A user the caller can see (one of their active grants is on an org in the caller's scope), authorized:
    NotFound when missing or out of scope, PermissionDenied when the caller lacks `roles` on all of them."""
    user = User.objects.filter(pk=user_id).first()
    paths = [p for p in _grant_paths(user_id) if scope.covers(p)] if user is not None else []
    if not paths:
        raise NotFound
    if not any(scope.has_role(p, roles) for p in paths):
        raise PermissionDenied
    return user


def users_with_device(user_ids: list[int]) -> set[int]:
    """Which of these users have a confirmed TOTP device (one query)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return set(
        TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True)
    )
