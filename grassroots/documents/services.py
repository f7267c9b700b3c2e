"""Writes on documents: attach a file to a record, withdraw a wrong one. One transaction each, permission
checked, DOC-* rules applied, audit recorded. Nothing is ever deleted.

The file is written to the documents storage as the last step of `document_attach`, after every check and
the audit record, so a refused upload writes nothing. If the caller's transaction rolls back later, the
written file stays unreferenced (harmless; it is not reachable through any record).
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import record
from grassroots.core import permissions
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.orgs.models import Org

from . import rules
from .models import Document, documents_storage

NAME_MAX = 200
REASON_MAX = 200


def max_bytes() -> int:
    """The size limit of one document (DOC-SIZE), from settings.DOCUMENT_MAX_MB."""
    return int(settings.DOCUMENT_MAX_MB * rules.MB)


def clean_name(name: str) -> str:
    """The uploaded file's own name, without any directory part or control characters, at most 200 chars."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    if len(base) > NAME_MAX:
        ext = base[len(base) - len(rules.extension_of(base)) :]
        base = base[: NAME_MAX - len(ext)] + ext
    return base


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(rules.HEAD_BYTES)
    file.seek(0)
    return head or b""


def _digest(file) -> tuple[str, int]:
    """SHA-256 (hex) and length of the file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _check_content(file, kind: rules.FileType) -> None:
    """The whole content, beyond the first bytes: a text file decodes as UTF-8 to its end; an Office Open
    XML package is a ZIP archive within the DOC-ARCHIVE limits, judged by its central directory (nothing is
    decompressed, no archive inside it is opened)."""
    file.seek(0)
    try:
        if kind.magic == rules.TEXT:
            rules.check_text_chunks(file.chunks())
        elif kind.magic == rules.ZIP:
            try:
                with zipfile.ZipFile(file) as archive:
                    entries = [
                        rules.Entry(i.filename, i.compress_size, i.file_size) for i in archive.infolist()
                    ]
            except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
                raise rules.type_refused() from exc
            rules.check_archive(entries)
    finally:
        file.seek(0)


def subject_label(subject: models.Model) -> str:
    return f"{subject._meta.label_lower}#{subject.pk}"


@transaction.atomic
def document_attach(
    *, scope: Scope, actor, org: Org, subject: models.Model, kind: str, title: str, file
) -> Document:
    """Keep `file` as a document of `subject` (owned by `org`). The owning app has checked `kind`.

    DOC-EMPTY, DOC-SIZE and DOC-TYPE refuse the file; the stored type is the detected one."""
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    if file is None:
        raise RuleViolation("DOC-EMPTY", _("请选择要上传的文件（DOC-EMPTY）"), field="file")
    original = clean_name(getattr(file, "name", "") or "")
    kind_of_file = rules.check_file(name=original, head=_head(file), size=file.size, max_bytes=max_bytes())
    _check_content(file, kind_of_file)
    sha256, size = _digest(file)
    title = (title or "").strip()[:NAME_MAX] or original
    name = f"{org.code}/{timezone.localdate():%Y}/{uuid.uuid4().hex}{kind_of_file.extension}"
    document = Document(
        org=org,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        kind=kind,
        title=title,
        original_name=original,
        content_type=kind_of_file.content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.name = name
    document.save(force_insert=True)
    record(
        actor=actor,
        action="document.attach",
        target=document,
        org_id=org.pk,
        label=f"{title} ({original})",
        changes={
            "subject": [None, subject_label(subject)],
            "kind": [None, kind],
            "title": [None, title],
            "original_name": [None, original],
            "size": [None, size],
            "sha256": [None, sha256],
        },
    )
    file.seek(0)
    stored = documents_storage().save(name, file)
    if stored != name:  # the storage never renames a fresh uuid name; refuse rather than mislink
        raise RuntimeError(f"documents storage stored {name!r} as {stored!r}")
    return document


@transaction.atomic
def document_withdraw(*, scope: Scope, actor, document: Document, reason: str) -> Document:
    """Withdraw a wrong upload (撤回): it stays, marked, with the reason. Only once; the file is kept."""
    permissions.require(scope, permissions.MEMBER_EDIT, document.org.path)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation("API-VALIDATION", _("请填写撤回理由（API-VALIDATION）"), field="reason")
    if len(reason) > REASON_MAX:
        raise RuleViolation(
            "API-VALIDATION",
            _("撤回理由不能超过 %(max)s 字（API-VALIDATION）") % {"max": REASON_MAX},
            field="reason",
        )
    now = timezone.now()
    by = actor if getattr(actor, "pk", None) else None
    # The one change a document ever sees: its empty withdrawal fields are filled, once.
    with unscoped():
        changed = (
            Document.objects.unscoped_all()
            .filter(pk=document.pk, withdrawn_at__isnull=True)
            .update(withdrawn_at=now, withdrawn_by=by, withdrawn_reason=reason)
        )
    if not changed:
        raise RuleViolation("API-VALIDATION", _("该材料已撤回（API-VALIDATION）"), field="reason")
    document.withdrawn_at, document.withdrawn_by, document.withdrawn_reason = now, by, reason
    record(
        actor=actor,
        action="document.withdraw",
        target=document,
        org_id=document.org_id,
        label=f"{document.title} ({document.original_name})",
        changes={"withdrawn_reason": [None, reason]},
    )
    return document
