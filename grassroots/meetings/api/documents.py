"""A meeting's documents (材料) through the API: the list (withdrawn ones marked) and an upload (multipart).
The file is downloaded through the documents router (`url`)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Schema, Status
from ninja.files import UploadedFile

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS

from .. import documents as reads
from .. import selectors, services
from ..choices import MeetingDocumentKind
from . import router

MeetingDocumentKindValue = Literal[tuple(MeetingDocumentKind.values)]


class MeetingDocumentOut(Schema):
    """A document (材料) of the meeting. Withdrawn documents stay listed with `withdrawn` true and the reason.
    `sha256` is checked whenever `url` is downloaded."""

    id: int
    kind: str
    kind_label: str
    title: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: dt.datetime
    withdrawn: bool
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str
    url: str


class MeetingDocumentListOut(Schema):
    items: list[MeetingDocumentOut]
    count: int


@router.get("/{meeting_id}/documents", response={200: MeetingDocumentListOut, **ERRORS})
def document_list(request: HttpRequest, meeting_id: int):
    """The documents of a meeting (photos, the scanned sign-in sheet, papers), oldest first."""
    scope = caller(request).scope
    meeting = selectors.meeting_get(scope=scope, meeting_id=meeting_id)
    items = reads.meeting_documents(scope=scope, meeting=meeting)
    return {"items": items, "count": len(items)}


@router.post("/{meeting_id}/documents", response={201: MeetingDocumentOut, **ERRORS})
def document_attach(
    request: HttpRequest,
    meeting_id: int,
    file: File[UploadedFile],
    kind: Form[MeetingDocumentKindValue],
    title: Form[str] = "",
):
    """Upload a document (multipart) to the meeting, also after its minutes are final (MEETING_EDIT). 422 with
    DOC-TYPE (type not allowed, or content not matching the extension), DOC-SIZE, DOC-EMPTY or DOC-ARCHIVE."""
    who = caller(request)
    meeting = selectors.meeting_get(scope=who.scope, meeting_id=meeting_id, roles=selectors.MEETING_EDIT)
    document = services.meeting_document_attach(
        scope=who.scope, actor=who.user, meeting=meeting, kind=kind, title=title, file=file
    )
    return Status(201, reads.document_out(document))
