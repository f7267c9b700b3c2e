"""Reads of a meeting's documents (材料): its photos, the scanned sign-in sheet, the papers handed out. The files
are kept by the documents app with the meeting as their subject; read with the roles that read meetings."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from grassroots.core.errors import NotFound
from grassroots.core.scoping import Scope
from grassroots.documents import selectors as document_selectors
from grassroots.documents.models import Document

from .choices import MeetingDocumentKind
from .models import Meeting


def document_out(document: Document) -> dict[str, Any]:
    """A meeting's document as its page and the API show it; withdrawn ones keep their place and reason."""
    kind = document.kind
    return {
        "id": document.pk,
        "kind": kind,
        "kind_label": str(MeetingDocumentKind(kind).label) if kind in MeetingDocumentKind.values else kind,
        "title": document.title,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "icon": document_selectors.icon(document.content_type),
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_by": document.uploaded_by.get_username() if document.uploaded_by_id else None,
        "uploaded_at": document.uploaded_at,
        "withdrawn": document.withdrawn,
        "withdrawn_at": document.withdrawn_at,
        "withdrawn_by": document.withdrawn_by.get_username() if document.withdrawn_by_id else None,
        "withdrawn_reason": document.withdrawn_reason,
        "url": reverse("api:document_content", kwargs={"document_id": document.pk}),
    }


def meeting_documents(*, scope: Scope, meeting: Meeting) -> list[dict[str, Any]]:
    """Every document of the meeting, oldest first, withdrawn ones included: one query."""
    return [document_out(d) for d in document_selectors.documents_for(scope=scope, subjects=[meeting])]


def meeting_document_get(*, scope: Scope, meeting: Meeting, document_id: int) -> Document:
    """A document of this meeting the caller reads; NotFound for a missing one, one outside the scope, or one
    of another record (the same answer)."""
    document = document_selectors.document_get(scope=scope, document_id=document_id)
    if (document.subject_type.app_label, document.subject_type.model, document.subject_id) != (
        Meeting._meta.app_label,
        Meeting._meta.model_name,
        meeting.pk,
    ):
        raise NotFound
    return document
