from django.conf import settings
from django.db import models

from grassroots.core.scoping import ScopedManager


class AuditEvent(models.Model):
    """One write: who, when, what, and the fields it changed (before → after). Append-only.

    Written by `audit.services.record` inside the transaction of the change it describes. Each event carries
    the hash of the previous one and its own keyed hash over every stored field (`audit.chain`), so a removed,
    edited or forged row breaks the chain (`grassroots audit_verify`); signed checkpoints kept outside the
    database anchor its head (`audit.checkpoints`).
    """

    scope_path = "org__path"

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField()
    target_label = models.CharField(max_length=200)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    # The audit key the hash was made with (settings.GRASSROOTS_AUDIT_KEYS): older events keep verifying with
    # their key after a rotation.
    key_id = models.CharField(max_length=16)
    hash = models.CharField(max_length=64, unique=True)

    objects = ScopedManager()

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id", "at"], name="audit_target")]
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.target_label}"
