"""A meeting's documents (材料): `meeting_document_attach` and `meeting_document_withdraw`. The files are kept by
the documents app (DOC-* rules on the content, the audit events `document.attach` and `document.withdraw`
naming the meeting as the subject); here the kind is checked and the editor of the org's meetings is required.

Documents may be added after the minutes are final (MTG-MINUTES-FINAL freezes the record, not what is filed
with it): the photos and the signed sheet are often scanned afterwards. Adding one changes none of the parts a
seal covers. Nothing is deleted: a wrong upload is withdrawn with a reason and stays listed."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core import hygiene, permissions
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import Scope
from grassroots.documents import services as document_services
from grassroots.documents.models import Document

from .. import selectors
from ..choices import MeetingDocumentKind
from ..models import Meeting


@transaction.atomic
def meeting_document_attach(
    *, scope: Scope, actor, meeting: Meeting, kind: str, title: str, file
) -> Document:
    """Keep `file` with the meeting (a photo, the scanned sign-in sheet, the papers). Secretaries and officers
    of the org (MEETING_EDIT), whatever the state of the minutes. DOC-TYPE, DOC-SIZE, DOC-EMPTY, DOC-ARCHIVE
    refuse the file by its content."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    if kind not in MeetingDocumentKind.values:
        raise RuleViolation(
            "API-VALIDATION",
            _("输入有误：未知的材料类别“%(kind)s”（API-VALIDATION）") % {"kind": str(kind)[:40]},
            field="kind",
        )
    hygiene.check_text(title or "", field="title")
    return document_services.document_attach(
        scope=scope, actor=actor, org=meeting.org, subject=meeting, kind=kind, title=title, file=file
    )


@transaction.atomic
def meeting_document_withdraw(
    *, scope: Scope, actor, meeting: Meeting, document: Document, reason: str
) -> Document:
    """Withdraw a wrong upload of the meeting (撤回) with a reason: it stays listed, struck through."""
    permissions.require(scope, selectors.MEETING_EDIT, meeting.org.path)
    if (document.subject_type_id, document.subject_id) != (
        ContentType.objects.get_for_model(Meeting).pk,
        meeting.pk,
    ):
        raise NotFound
    hygiene.check_text(reason or "", field="reason")
    return document_services.document_withdraw(scope=scope, actor=actor, document=document, reason=reason)
