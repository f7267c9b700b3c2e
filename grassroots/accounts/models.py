from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.roles import Role


class User(AbstractUser):
    """A person who signs in. What they may see comes only from their RoleGrants."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    # Set by an administrator (services.password_reset_force): the user must change their password at the
    # next sign-in, and no API token is issued or accepted until they have.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    """A role held on an org, covering the org and its subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="grants")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="rolegrant_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} @ {self.org_id}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored; revoked tokens are kept for the record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}…"
