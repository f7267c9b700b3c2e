"""DOC-TYPE, DOC-SIZE, DOC-EMPTY: each allowed type accepted by extension and first bytes; a disguised file,
an unknown type, the size limit ±1 byte and an empty file refused."""

from __future__ import annotations

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.documents import rules

LIMIT = 1000
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ZIP = b"PK\x03\x04\x14\x00\x06\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"


def check(name: str, head: bytes, size: int | None = None, max_bytes: int = LIMIT) -> rules.FileType:
    return rules.check_file(
        name=name, head=head, size=len(head) if size is None else size, max_bytes=max_bytes
    )


@pytest.mark.parametrize(
    ("name", "head", "content_type"),
    [
        ("谈话记录.pdf", PDF, "application/pdf"),
        ("scan.JPG", JPEG, "image/jpeg"),
        ("scan.jpeg", JPEG, "image/jpeg"),
        ("photo.png", PNG, "image/png"),
        ("决议.docx", ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("名单.xlsx", ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("旧表.doc", OLE, "application/msword"),
        ("旧表.xls", OLE, "application/vnd.ms-excel"),
        ("说明.txt", "入党申请书\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepts_file_when_extension_and_first_bytes_agree(name, head, content_type):
    assert check(name, head).content_type == content_type


def test_accepts_text_when_a_character_is_cut_at_the_end_of_the_head():
    head = "党员".encode()[:-1]  # the second character's last byte lies beyond the head
    assert check("a.txt", head, size=100).extension == ".txt"


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("谈话记录.pdf", EXE),  # an executable renamed .pdf
        ("photo.png", JPEG),  # a JPEG named .png
        ("决议.docx", OLE),  # a legacy document named .docx
        ("旧表.doc", ZIP),  # a ZIP named .doc
        ("payload.exe", EXE),  # not an allowed type at all
        ("archive.zip", ZIP),  # a ZIP is not an Office document
        ("no-extension", PDF),
        ("trailing-dot.", PDF),
        ("notes.txt", b"plain\x00binary"),  # NUL bytes: not text
        ("notes.txt", b"\xff\xfe\xfa not utf-8"),
    ],
)
def test_refuses_type_when_extension_or_content_is_not_allowed(name, head):
    with pytest.raises(RuleViolation) as exc:
        check(name, head)
    assert exc.value.rule_id == "DOC-TYPE"
    assert exc.value.field == "file"
    assert "PDF" in str(exc.value.message) and "（DOC-TYPE）" in str(exc.value.message)


def test_accepts_file_when_size_is_exactly_the_limit():
    assert check("a.pdf", PDF, size=LIMIT).extension == ".pdf"


def test_refuses_file_when_size_is_one_byte_over_the_limit():
    with pytest.raises(RuleViolation) as exc:
        check("a.pdf", PDF, size=LIMIT + 1, max_bytes=LIMIT)
    assert exc.value.rule_id == "DOC-SIZE"


def test_names_the_limit_in_megabytes_when_refusing_size():
    with pytest.raises(RuleViolation) as exc:
        check("a.pdf", PDF, size=20 * rules.MB + 1, max_bytes=20 * rules.MB)
    assert "20 MB" in str(exc.value.message) and "（DOC-SIZE）" in str(exc.value.message)


def test_refuses_file_when_empty():
    with pytest.raises(RuleViolation) as exc:
        check("a.pdf", b"", size=0)
    assert exc.value.rule_id == "DOC-EMPTY"


@pytest.mark.parametrize(
    ("name", "ext"),
    [("a.PDF", ".pdf"), ("dir/x.tar.gz", ".gz"), ("C:\\\\scan\\\\x.Jpg", ".jpg"), (".hidden", ""), ("x", "")],
)
def test_extension_is_lowercase_and_ignores_directories(name, ext):
    assert rules.extension_of(name) == ext


# ---------------------------------------------------------------------------------------------- DOC-ARCHIVE

KB = 1024


def entries(*sizes):
    return [rules.Entry("[Content_Types].xml", 300, 1200)] + [
        rules.Entry(f"word/part{i}.xml", c, u) for i, (c, u) in enumerate(sizes)
    ]


@pytest.mark.parametrize(
    ("archive", "rule_id"),
    [
        (entries((40 * KB, 400 * KB), (2 * rules.MB, 3 * rules.MB)), None),  # a real document's ratios
        (entries((10, 60 * KB)), None),  # a tiny part at any ratio
        (entries((1 * rules.MB, 101 * rules.MB)), "DOC-ARCHIVE"),  # ratio 101
        (entries(*[(2 * rules.MB, 100 * rules.MB)] * 3), "DOC-ARCHIVE"),  # 300 MB in total
        ([rules.Entry(f"x{i}", 1, 1) for i in range(10_001)] + entries(), "DOC-ARCHIVE"),  # too many entries
        ([rules.Entry("word/document.xml", 10, 10)], "DOC-TYPE"),  # not an Office package
    ],
    ids=["real", "tiny-part", "ratio", "total", "entries", "no-content-types"],
)
def test_check_archive_refuses_zip_bombs_by_declared_sizes(archive, rule_id):
    try:
        rules.check_archive(archive)
    except RuleViolation as exc:
        assert exc.rule_id == rule_id
    else:
        assert rule_id is None


@pytest.mark.parametrize(
    ("chunks", "ok"),
    [
        ([b"hello ", "中文".encode()], True),
        (["中".encode()[:2], "中".encode()[2:]], True),  # a character cut between chunks
        ([b"a" * 9000, b"\x00"], False),  # NUL after the first 8 KB
        ([b"a" * 9000, b"\xff\xfe"], False),  # binary after the first 8 KB
        (["中".encode()[:2]], False),  # cut at the very end
    ],
)
def test_check_text_chunks_reads_the_whole_content(chunks, ok):
    if ok:
        rules.check_text_chunks(chunks)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_text_chunks(chunks)
        assert exc.value.rule_id == "DOC-TYPE"
