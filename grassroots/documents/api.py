"""The documents router: download a document's content (the bytes checked against their SHA-256 first)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from grassroots.core.api_auth import caller
from grassroots.core.api_schemas import ERRORS, DetailOut

from . import selectors
from .rules import TYPES
from .views import file_response

router = Router(tags=["documents"])

# The file is served with the content type of its kind (documents.rules.TYPES): each is documented.
FILE_CONTENT = {
    media: {"schema": {"type": "string", "format": "binary"}}
    for media in sorted({t.content_type.split(";")[0] for t in TYPES.values()})
}


@router.get(
    "/{document_id}/content",
    response={409: DetailOut, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": FILE_CONTENT,
            }
        }
    },
)
def document_content(request: HttpRequest, document_id: int):
    """A document's file (MEMBER_VIEW on its org). 409 when the stored bytes no longer match the SHA-256
    taken on upload: the file is not served."""
    scope = caller(request).scope
    document = selectors.document_get(scope=scope, document_id=document_id)
    try:
        handle = selectors.document_open(scope=scope, document=document)
    except selectors.DocumentIntegrityError as exc:
        return Status(409, {"detail": str(exc.message)})
    return file_response(document, handle)
