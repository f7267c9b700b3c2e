"""Writes on accounts: users, role grants, API tokens. Each in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.roles import Role
from grassroots.core.scoping import Scope, unscoped

from .models import ApiToken, RoleGrant, User


def _org_by_code(scope: Scope, code: str):
    from grassroots.orgs.models import Org

    org = Org.objects.within(scope).filter(code=code).first()
    if org is None:
        raise NotFound
    return org


@transaction.atomic
def user_add(
    *,
    scope: Scope,
    actor: User | None,
    username: str,
    password: str,
    org_code: str,
    role: str,
    display_name: str = "",
    check_password: bool = True,
) -> User:
    """Create a user (or reuse one of that name) and grant them `role` on the org with `org_code`."""
    if role not in Role.values:
        raise RuleViolation("ACC-ROLE", _("未知角色：%(role)s") % {"role": role}, field="role")
    org = _org_by_code(scope, org_code)
    permissions.require(scope, permissions.ADMIN, org.path)
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise RuleViolation("ACC-PASSWORD", " ".join(exc.messages), field="password") from exc
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
    user.set_password(password)
    if display_name:
        user.display_name = display_name
    user.save()
    if created:
        record(
            actor=actor,
            action="user.create",
            target=user,
            org_id=org.pk,
            changes={"username": [None, username]},
        )
    grant_add(scope=scope, actor=actor, user=user, org=org, role=role)
    return user


@transaction.atomic
def grant_add(*, scope: Scope, actor: User | None, user: User, org, role: str) -> RoleGrant:
    permissions.require(scope, permissions.ADMIN, org.path)
    grant, created = RoleGrant.objects.get_or_create(user=user, org=org, role=role, revoked_at=None)
    if created:
        record(
            actor=actor,
            action="grant.add",
            target=grant,
            org_id=org.pk,
            changes={"user": [None, user.username], "role": [None, role]},
            label=f"{user.username} @ {org.code}",
        )
    return grant


@transaction.atomic
def grant_revoke(*, scope: Scope, actor: User | None, grant: RoleGrant) -> None:
    with unscoped():
        path = grant.org.path
    permissions.require(scope, permissions.ADMIN, path)
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    record(
        actor=actor,
        action="grant.revoke",
        target=grant,
        org_id=grant.org_id,
        changes={"revoked": [False, True]},
    )


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """A signed-in user changes their own password: the current one is checked and the new one passes the
    project's validators (AUTH_PASSWORD_VALIDATORS) — ACC-PASSWORD otherwise. Audited without either value."""
    if not actor.check_password(old_password):
        raise RuleViolation("ACC-PASSWORD", _("当前密码不正确（ACC-PASSWORD）"), field="old_password")
    try:
        validate_password(new_password, user=actor)
    except ValidationError as exc:
        raise RuleViolation("ACC-PASSWORD", " ".join(exc.messages), field="new_password") from exc
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    record(actor=actor, action="user.password_change", target=actor, org_id=None)
    return actor


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, request, username: str, password: str) -> str:
    """Check the credentials (login lockout applies) and return a new bearer token; only its hash is kept.

    Authentication runs outside the transaction on purpose: a failed attempt that the lockout records must
    survive the refusal, so it cannot be rolled back with it.
    """
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise PermissionError
    return _token_create(user)


@transaction.atomic
def _token_create(user: User) -> str:
    key = secrets.token_urlsafe(32)
    ttl = settings.API_TOKEN_TTL_HOURS
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash_token(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(hours=ttl) if ttl else None,
    )
    record(actor=user, action="token.issue", target=token, org_id=None, label=f"token {token.prefix}…")
    return key


def token_user(key: str) -> User | None:
    """The active user behind a bearer token, or None if unknown, expired or revoked."""
    token = (
        ApiToken.objects.filter(key_hash=_hash_token(key), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at < now:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, key: str) -> bool:
    token = ApiToken.objects.filter(key_hash=_hash_token(key), revoked_at__isnull=True).first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=token.user, action="token.revoke", target=token, org_id=None, label=f"token {token.prefix}…")
    return True
