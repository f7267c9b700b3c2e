"""Writes on accounts: users, role grants, passwords, two-factor devices, API tokens. Each in one transaction
with its audit event."""

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

from . import lockout, selectors
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
    forced = actor.must_change_password
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    record(
        actor=actor,
        action="user.password_change",
        target=actor,
        org_id=None,
        changes={"must_change_password": [True, False]} if forced else None,
    )
    return actor


@transaction.atomic
def password_reset_force(*, scope: Scope, actor: User | None, user_id: int) -> User:
    """An org admin over one of the user's grants (or the system) makes the user change their password at
    the next sign-in: the flag is set and every API token of theirs is revoked. Audited."""
    user = selectors.user_get(scope=scope, user_id=user_id, roles=permissions.ADMIN)
    now = timezone.now()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    record(
        actor=actor,
        action="user.password_reset_force",
        target=user,
        org_id=None,
        changes={"must_change_password": [False, True], "tokens_revoked": [0, revoked]},
        label=user.username,
    )
    return user


class SignInRefused(PermissionError):
    """The token endpoint's refusals, by `reason`: credentials (or lockout), otp, password_change, enrol."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def token_issue(*, request, username: str, password: str, otp: str | None = None) -> str:
    """Check the credentials (login lockout applies) and return a new bearer token; only its hash is kept.

    A user with a confirmed TOTP device must send its current code as `otp`; a missing or wrong code counts
    toward the lockout as a wrong password does. A user whose role requires two-factor sign-in and who has
    no device, or whom an administrator flagged to change their password, gets no token.

    Authentication runs outside the transaction on purpose: a failed attempt that the lockout records must
    survive the refusal, so it cannot be rolled back with it.
    """
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise SignInRefused("credentials")
    device = selectors.totp_device(user)
    if device is not None:
        if not otp or not device.verify_token(otp.strip()):
            lockout.count_failure(request, username)
            raise SignInRefused("otp")
    elif selectors.two_factor_required(user):
        raise SignInRefused("enrol")
    if user.must_change_password:
        raise SignInRefused("password_change")
    return _token_create(user)


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


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
    if token is None or not token.user.is_active or token.user.must_change_password:
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


@transaction.atomic
def totp_start(*, actor: User):
    """Begin enrolling a TOTP device: a new secret, not yet confirmed (any earlier unconfirmed one is dropped).
    Nothing is audited until it is confirmed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=_("身份验证器"), confirmed=False)


@transaction.atomic
def totp_confirm(*, actor: User, token: str):
    """Confirm the device being enrolled with a code it shows now (ACC-OTP when wrong). One device per user:
    an earlier confirmed device is replaced. Audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = selectors.totp_device(actor, confirmed=False)
    if device is None:
        raise RuleViolation("ACC-OTP", _("请重新开始绑定身份验证器（ACC-OTP）"), field="token")
    if not device.verify_token((token or "").strip()):
        raise RuleViolation("ACC-OTP", _("动态验证码不正确（ACC-OTP）"), field="token")
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=actor, action="user.totp_enable", target=actor, org_id=None, changes={"totp": [False, True]})
    return device


@transaction.atomic
def totp_remove(*, actor: User, password: str) -> None:
    """Remove the user's TOTP device; the current password is asked (ACC-PASSWORD when wrong). Audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not actor.check_password(password or ""):
        raise RuleViolation("ACC-PASSWORD", _("当前密码不正确（ACC-PASSWORD）"), field="password")
    deleted, _rows = TOTPDevice.objects.filter(user=actor).delete()
    if deleted:
        record(
            actor=actor,
            action="user.totp_disable",
            target=actor,
            org_id=None,
            changes={"totp": [True, False]},
        )
