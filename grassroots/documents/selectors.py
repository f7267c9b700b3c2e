"""Reads on documents. Every function takes the caller's scope; documents are read with the roles that read
member records (MEMBER_VIEW), in the subtree of the document's org.

`document_open` checks the stored bytes against the SHA-256 taken on upload before anything is served: a
changed or missing file is refused (DocumentIntegrityError) and logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from grassroots.core import permissions
from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope

from .models import Document

logger = logging.getLogger("grassroots.documents")
CHUNK = 64 * 1024


class DocumentIntegrityError(Exception):
    """The stored file no longer matches its record (changed or missing): tamper evidence, never served."""

    def __init__(self, document: Document, message):
        super().__init__(f"document {document.pk}: {message}")
        self.document = document
        self.message = message


def _readable(scope: Scope) -> Scope:
    """The part of the scope in which the caller may read documents (the roles that read member records)."""
    return scope.with_roles(permissions.MEMBER_VIEW)


def subject_key(subject: models.Model) -> tuple[str, int]:
    """How a subject is named in `documents_for` results: ("app_label.model", pk)."""
    return subject._meta.label_lower, subject.pk


def icon(content_type: str) -> str:
    """A bootstrap-icons class for a document's (detected) content type."""
    if content_type == "application/pdf":
        return "bi-file-earmark-pdf"
    if content_type.startswith("image/"):
        return "bi-file-earmark-image"
    if "word" in content_type:
        return "bi-file-earmark-word"
    if "sheet" in content_type or "excel" in content_type:
        return "bi-file-earmark-excel"
    return "bi-file-earmark-text"


def documents_for(*, scope: Scope, subjects: Iterable[models.Model]) -> list[Document]:
    """The documents of all `subjects` (any mix of models), oldest first, withdrawn ones included.

    One query whatever the number of subjects (the content types are matched by name in the same query).
    Each document carries `subject_key` = ("app_label.model", id) to group them by subject."""
    by_model: dict[tuple[str, str], set[int]] = {}
    for s in subjects:
        by_model.setdefault((s._meta.app_label, s._meta.model_name), set()).add(s.pk)
    if not by_model:
        return []
    q = Q()
    for (app_label, model), ids in sorted(by_model.items()):
        q |= Q(subject_type__app_label=app_label, subject_type__model=model, subject_id__in=sorted(ids))
    rows = list(
        Document.objects.within(_readable(scope))
        .filter(q)
        .select_related("subject_type", "uploaded_by", "withdrawn_by")
        .order_by("uploaded_at", "id")
    )
    for d in rows:
        d.subject_key = (f"{d.subject_type.app_label}.{d.subject_type.model}", d.subject_id)
    return rows


def document_get(*, scope: Scope, document_id: int, roles: frozenset[str] | None = None) -> Document:
    """One document the caller may read, fetched and authorized in one call: NotFound when missing or
    outside the scope (the same answer); with `roles`, PermissionDenied unless the caller has one of them at
    the document's org."""
    document = (
        Document.objects.within(_readable(scope))
        .filter(pk=document_id)
        .select_related("org", "subject_type", "uploaded_by", "withdrawn_by")
        .first()
    )
    if document is None:
        raise NotFound
    if roles is not None:
        permissions.require(scope, roles, document.org.path)
    return document


def document_open(*, scope: Scope, document: Document):
    """The stored file of `document`, opened for reading, after checking its SHA-256 against the record.

    Refuses (DocumentIntegrityError, logged) when the file is missing or its bytes changed."""
    permissions.require(scope, permissions.MEMBER_VIEW, document.org.path)
    storage = document.file.storage
    try:
        handle = storage.open(document.file.name, "rb")
    except (FileNotFoundError, OSError):
        logger.error("document %s: stored file %s is missing", document.pk, document.file.name)
        raise DocumentIntegrityError(
            document, _("该材料的存储文件缺失，无法下载。已记录，请联系系统管理员。")
        ) from None
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    if digest.hexdigest() != document.sha256:
        handle.close()
        logger.error(
            "document %s: stored file %s does not match its SHA-256 (expected %s, found %s)",
            document.pk,
            document.file.name,
            document.sha256,
            digest.hexdigest(),
        )
        raise DocumentIntegrityError(
            document,
            _(
                "该材料的存储文件与上传时的校验值（SHA-256）不一致，可能已被改动，已拒绝下载并记录。请联系系统管理员。"
            ),
        )
    handle.seek(0)
    return handle
