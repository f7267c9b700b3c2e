"""Files for the document tests: a small valid PDF, and tampering with a stored file."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.documents.models import Document

PDF_BYTES = b"%PDF-1.4\n% talk record\n1 0 obj << >> endobj\n%%EOF\n"


def pdf(name: str = "谈话记录.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "application/pdf")


def overwrite_stored(document: Document, data: bytes) -> None:
    """Change the stored bytes behind the application's back (what tampering on disk looks like)."""
    storage = Document._meta.get_field("file").storage
    storage.delete(document.file.name)
    assert storage.save(document.file.name, ContentFile(data)) == document.file.name
