"""Which files may be kept as documents (材料): the type, by extension AND by the file's first bytes, and the
size. Project rules DOC-TYPE, DOC-SIZE, DOC-EMPTY (docs/rules.md).

A file is accepted only when its extension names an allowed type and its content starts the way that type
does, so an executable renamed .pdf is refused. The stored content type comes from this check, never from
what the uploading browser claims.

Pure: the file's name, first bytes and size in, the detected type or a RuleViolation out. The limit is a
parameter (the service passes settings.DOCUMENT_MAX_MB).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from django.utils.translation import gettext as _

from grassroots.core.errors import RuleViolation

# How many leading bytes the checks need (the text check decodes this much).
HEAD_BYTES = 8192
MB = 1024 * 1024

PDF = b"%PDF-"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"  # Office Open XML (docx, xlsx) is a ZIP package
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (doc, xls): OLE compound file
TEXT = b""  # plain text: no signature, checked as UTF-8 without NUL bytes


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    magic: bytes


TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType(".pdf", "application/pdf", PDF),
        FileType(".jpg", "image/jpeg", JPEG),
        FileType(".jpeg", "image/jpeg", JPEG),
        FileType(".png", "image/png", PNG),
        FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
        FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
        FileType(".doc", "application/msword", OLE),
        FileType(".xls", "application/vnd.ms-excel", OLE),
        FileType(".txt", "text/plain; charset=utf-8", TEXT),
    )
}
ALLOWED_NAMES = "PDF、JPG、PNG、Word（doc、docx）、Excel（xls、xlsx）、TXT"


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, with its dot ("" when there is none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    if "." not in base.strip("."):
        return ""
    return "." + base.rsplit(".", 1)[1].lower()


def _is_utf8_text(head: bytes) -> bool:
    """UTF-8 without NUL bytes; a character cut at the end of `head` is allowed."""
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _type_refused() -> RuleViolation:
    return RuleViolation(
        "DOC-TYPE",
        _("文件类型不支持或文件内容与扩展名不符，仅可上传：%(types)s（DOC-TYPE）") % {"types": ALLOWED_NAMES},
        field="file",
    )


def check_file(*, name: str, head: bytes, size: int, max_bytes: int) -> FileType:
    """DOC-EMPTY, DOC-SIZE, DOC-TYPE: the type of an acceptable file, or the first rule it breaks.

    `head` is the file's first bytes (at least HEAD_BYTES of them when the file is that long)."""
    if size <= 0:
        raise RuleViolation("DOC-EMPTY", _("文件为空，请选择有内容的文件（DOC-EMPTY）"), field="file")
    if size > max_bytes:
        raise RuleViolation(
            "DOC-SIZE",
            _("文件过大：不能超过 %(limit)s MB（DOC-SIZE）") % {"limit": f"{max_bytes / MB:g}"},
            field="file",
        )
    kind = TYPES.get(extension_of(name))
    if kind is None:
        raise _type_refused()
    if kind.magic == TEXT:
        if not _is_utf8_text(head):
            raise _type_refused()
    elif not head.startswith(kind.magic):
        raise _type_refused()
    return kind
