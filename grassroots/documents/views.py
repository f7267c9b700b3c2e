"""Serving documents: the one download view, scoped, the bytes checked against their SHA-256 first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_GET

from grassroots.core.xlsx import content_disposition

from . import rules, selectors
from .models import Document


def file_response(document: Document, handle) -> FileResponse:
    """The stored file as a download: the detected type, an RFC 5987 file name, never sniffed or cached."""
    response = FileResponse(handle, content_type=document.content_type)
    ext = rules.extension_of(document.original_name) or rules.extension_of(document.file.name)
    response["Content-Disposition"] = content_disposition(
        document.original_name or f"document-{document.pk}{ext}", f"document-{document.pk}{ext}"
    )
    response["Content-Length"] = str(document.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def content(request, document_id):
    """Download a document (MEMBER_VIEW on its org; 404 otherwise). 409 when the stored file was changed."""
    document = selectors.document_get(scope=request.scope, document_id=document_id)
    try:
        handle = selectors.document_open(scope=request.scope, document=document)
    except selectors.DocumentIntegrityError as exc:
        return HttpResponse(str(exc.message), status=409, content_type="text/plain; charset=utf-8")
    return file_response(document, handle)
