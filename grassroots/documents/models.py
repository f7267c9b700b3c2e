from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.scoping import ScopedManager


def documents_storage():
    """The storage documents are kept in: the STORAGES alias "documents" (settings; the test settings keep it
    in memory). A callable, so the migration names the alias rather than a path."""
    return storages["documents"]


class Document(models.Model):
    """A file kept with a record (材料): a dossier's application letter, a step's talk record, later a meeting's
    minutes. The record is its `subject` (any model, by content type and id); the owning app checks `kind`.

    Append-only, like the records it belongs to: a row is never edited or deleted. A wrong upload is
    withdrawn (`withdrawn_*`, set once by `services.document_withdraw`) and stays, shown struck through.
    The stored name never comes from the user (`<org code>/<year>/<uuid><ext>`); `sha256` is computed on
    upload and checked on every read (`selectors.document_open`), so a changed file is detected.
    """

    scope_path = "org__path"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("材料类别"), max_length=40)
    title = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(storage=documents_storage, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 校验值"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("documents are append-only (withdraw with services.document_withdraw)")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("documents are append-only (withdraw with services.document_withdraw)")

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
