"""Which files may be kept as documents (材料): the type, by extension AND by the file's first bytes, and the
size. Project rules DOC-TYPE, DOC-SIZE, DOC-EMPTY (docs/rules.md).

A file is accepted only when its extension names an allowed type and its content starts the way that type
does, so an executable renamed .pdf is refused. The stored content type comes from this check, never from
what the uploading browser claims.

Pure: the file's name, first bytes and size in, the detected type or a RuleViolation out. The limit is a
parameter (the service passes settings.DOCUMENT_MAX_MB).

The whole content is checked too, by the service with the pure checks below: a text file must be UTF-8
without NUL bytes from its first byte to its last (`check_text_chunks`), and an Office Open XML package
(docx, xlsx) must be a ZIP archive whose entries, as its central directory declares them, stay within a
total uncompressed size, a compression ratio and a number of entries (`check_archive`, DOC-ARCHIVE): a zip
bomb is refused without anything being decompressed. Archives inside the archive are never opened.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
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


def type_refused() -> RuleViolation:
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
        raise type_refused()
    if kind.magic == TEXT:
        if not _is_utf8_text(head):
            raise type_refused()
    elif not head.startswith(kind.magic):
        raise type_refused()
    return kind


# DOC-ARCHIVE: what an Office Open XML package may declare. A real docx or xlsx of 20 MB unpacks to a few
# times that, its XML compressing about ten to one; a zip bomb claims gigabytes at ratios of a thousand.
ARCHIVE_MAX_UNCOMPRESSED = 200 * MB
ARCHIVE_MAX_RATIO = 100
ARCHIVE_MAX_ENTRIES = 10_000
# Entries this small are not judged by their ratio (a few bytes of XML compress at any ratio).
_RATIO_FLOOR = 64 * 1024


@dataclass(frozen=True)
class Entry:
    """One member of a ZIP archive as its central directory declares it."""

    name: str
    compressed: int
    uncompressed: int


def _archive_refused(message) -> RuleViolation:
    return RuleViolation("DOC-ARCHIVE", message, field="file")


def check_archive(
    entries: Sequence[Entry],
    *,
    required: str | None = "[Content_Types].xml",
    max_uncompressed: int = ARCHIVE_MAX_UNCOMPRESSED,
    max_ratio: int = ARCHIVE_MAX_RATIO,
    max_entries: int = ARCHIVE_MAX_ENTRIES,
) -> None:
    """DOC-ARCHIVE (and DOC-TYPE): an Office package within the limits, or the first limit it passes."""
    if required is not None and required not in {e.name for e in entries}:
        raise type_refused()
    if len(entries) > max_entries:
        raise _archive_refused(
            _("压缩文件包含的文件过多（%(n)d 个，最多 %(max)d 个），已拒绝（DOC-ARCHIVE）")
            % {"n": len(entries), "max": max_entries}
        )
    total = sum(e.uncompressed for e in entries)
    if total > max_uncompressed:
        raise _archive_refused(
            _("文件解压后过大（%(size)s MB，最多 %(max)s MB），疑为压缩炸弹，已拒绝（DOC-ARCHIVE）")
            % {"size": f"{total / MB:.0f}", "max": f"{max_uncompressed / MB:g}"}
        )
    for e in entries:
        if e.uncompressed > _RATIO_FLOOR and e.uncompressed > max_ratio * max(e.compressed, 1):
            raise _archive_refused(
                _("文件中的“%(name)s”压缩比异常（超过 %(max)d 倍），疑为压缩炸弹，已拒绝（DOC-ARCHIVE）")
                % {"name": e.name[:60], "max": max_ratio}
            )


def check_text_chunks(chunks: Iterable[bytes]) -> None:
    """DOC-TYPE: a text file is UTF-8 without NUL bytes through its whole content, not only its head."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks:
            if b"\x00" in chunk:
                raise type_refused()
            decoder.decode(chunk, final=False)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise type_refused() from exc
