"""Attaching and withdrawing documents: SHA-256 and the detected type stored, a generated storage name, the
audit event in the same transaction, withdrawal instead of deletion, and the scope."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.documents import selectors, services
from grassroots.documents.models import Document
from tests.factories import SYSTEM
from tests.support.documents import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def attach(tree, *, scope=SYSTEM, actor=None, subject=None, org=None, file=None, title="谈话记录"):
    return services.document_attach(
        scope=scope,
        actor=actor,
        org=org or tree.a,
        subject=subject or tree.zhang,
        kind="talk_record",
        title=title,
        file=file or pdf(),
    )


def audit_of(document, action):
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all().filter(
                target_type="documents.document", target_id=document.pk, action=action
            )
        )


def test_stores_sha256_size_and_detected_type_when_a_pdf_is_attached(tree, personas):
    document = attach(tree, actor=personas.secretary_a)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.size == len(PDF_BYTES)
    assert document.content_type == "application/pdf"
    assert document.original_name == "谈话记录.pdf"
    assert document.uploaded_by == personas.secretary_a
    with document.file.storage.open(document.file.name, "rb") as f:
        assert f.read() == PDF_BYTES


def test_storage_name_is_generated_when_the_uploaded_name_has_a_path(tree):
    document = attach(tree, file=pdf("../../etc/恶意.pdf"))
    assert re.fullmatch(r"A/\d{4}/[0-9a-f]{32}\.pdf", document.file.name)
    assert document.original_name == "恶意.pdf"


def test_title_defaults_to_the_file_name_when_blank(tree):
    assert attach(tree, title="  ").title == "谈话记录.pdf"


def test_writes_audit_event_with_sha256_size_and_name_when_attached(tree, personas):
    document = attach(tree, actor=personas.secretary_a)
    (event,) = audit_of(document, "document.attach")
    assert event.org_id == tree.a.pk
    assert event.changes["sha256"] == [None, document.sha256]
    assert event.changes["size"] == [None, len(PDF_BYTES)]
    assert event.changes["original_name"] == [None, "谈话记录.pdf"]
    assert event.changes["subject"] == [None, f"members.member#{tree.zhang.pk}"]


def test_saves_nothing_when_the_file_is_disguised(tree):
    with pytest.raises(RuleViolation) as exc:
        attach(tree, file=pdf("谈话记录.pdf", b"MZ\x90\x00 executable"))
    assert exc.value.rule_id == "DOC-TYPE"
    with unscoped():
        assert not Document.objects.unscoped_all().exists()
        assert not AuditEvent.objects.unscoped_all().filter(action="document.attach").exists()


def test_refuses_size_when_over_the_configured_limit(tree, settings):
    settings.DOCUMENT_MAX_MB = len(PDF_BYTES) / (1024 * 1024)
    attach(tree)  # exactly the limit
    with pytest.raises(RuleViolation) as exc:
        attach(tree, file=pdf(data=PDF_BYTES + b" "))
    assert exc.value.rule_id == "DOC-SIZE"


def test_refuses_empty_file_and_missing_file(tree):
    for file in (pdf(data=b""), None):
        with pytest.raises(RuleViolation) as exc:
            services.document_attach(
                scope=SYSTEM, actor=None, org=tree.a, subject=tree.zhang, kind="x", title="", file=file
            )
        assert exc.value.rule_id == "DOC-EMPTY"


def test_404_when_attaching_to_a_sibling_branch(tree, personas, scope_of):
    with pytest.raises(NotFound):
        attach(tree, scope=scope_of(personas.secretary_a), org=tree.b, subject=tree.wang)


def test_403_when_a_viewer_attaches(tree, personas, scope_of):
    with pytest.raises(PermissionDenied):
        attach(tree, scope=scope_of(personas.county_viewer))


def test_keeps_the_document_marked_when_withdrawn(tree, personas, scope_of):
    document = attach(tree)
    services.document_withdraw(
        scope=scope_of(personas.secretary_a),
        actor=personas.secretary_a,
        document=document,
        reason="传错了文件",
    )
    with unscoped():
        stored = Document.objects.unscoped_all().get(pk=document.pk)
    assert stored.withdrawn and stored.withdrawn_reason == "传错了文件"
    assert stored.withdrawn_by == personas.secretary_a
    assert stored.sha256 == document.sha256  # the file and its record stay
    (event,) = audit_of(document, "document.withdraw")
    assert event.changes == {"withdrawn_reason": [None, "传错了文件"]}


def test_refuses_withdrawal_without_reason_or_twice(tree):
    document = attach(tree)
    with pytest.raises(RuleViolation) as exc:
        services.document_withdraw(scope=SYSTEM, actor=None, document=document, reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(RuleViolation):
        services.document_withdraw(scope=SYSTEM, actor=None, document=document, reason="x" * 201)
    services.document_withdraw(scope=SYSTEM, actor=None, document=document, reason="重复")
    with pytest.raises(RuleViolation):
        services.document_withdraw(scope=SYSTEM, actor=None, document=document, reason="再撤一次")


def test_404_when_withdrawing_a_sibling_branchs_document(tree, personas, scope_of):
    document = attach(tree, org=tree.b, subject=tree.wang)
    with pytest.raises(NotFound):
        services.document_withdraw(
            scope=scope_of(personas.secretary_a), actor=personas.secretary_a, document=document, reason="x"
        )


def test_delete_and_update_raise_when_called_on_a_document(tree):
    document = attach(tree)
    with pytest.raises(RuntimeError, match="append-only"):
        document.delete()
    document.title = "改名"
    with pytest.raises(RuntimeError, match="append-only"):
        document.save()


def test_reads_documents_of_many_subjects_in_one_query(tree, django_assert_num_queries):
    attach(tree, subject=tree.zhang)
    attach(tree, subject=tree.li)
    attach(tree, subject=tree.a)  # an org is a subject too
    attach(tree, org=tree.b, subject=tree.wang)
    with django_assert_num_queries(1):
        rows = selectors.documents_for(scope=SYSTEM, subjects=[tree.zhang, tree.li, tree.a])
    assert sorted(d.subject_key for d in rows) == sorted(
        [("members.member", tree.zhang.pk), ("members.member", tree.li.pk), ("orgs.org", tree.a.pk)]
    )
    assert selectors.documents_for(scope=SYSTEM, subjects=[]) == []


def test_hides_documents_outside_the_scope_or_from_a_member_role(tree, personas, scope_of):
    mine = attach(tree)
    theirs = attach(tree, org=tree.b, subject=tree.wang)
    scope = scope_of(personas.secretary_a)
    assert [d.pk for d in selectors.documents_for(scope=scope, subjects=[tree.zhang, tree.wang])] == [mine.pk]
    with pytest.raises(NotFound):
        selectors.document_get(scope=scope, document_id=theirs.pk)
    with pytest.raises(NotFound):  # a member-role user of branch B does not read B's documents
        selectors.document_get(scope=scope_of(personas.member_b), document_id=theirs.pk)
    assert selectors.document_get(scope=scope_of(personas.county_viewer), document_id=theirs.pk) == theirs


def test_keeps_the_extension_when_a_long_uploaded_name_is_cut():
    name = services.clean_name("目录/" + "长" * 300 + ".PDF\x07")
    assert len(name) == services.NAME_MAX and name.endswith(".PDF")


# ---------------------------------------------------------------------------------------------- content


def zipped(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for part, data in parts.items():
            zf.writestr(part, data)
    return SimpleUploadedFile(name, buffer.getvalue())


def stored_count():
    with unscoped():
        return Document.objects.unscoped_all().count()


def test_a_docx_that_is_a_zip_bomb_is_refused_with_doc_archive_and_nothing_stored(tree):
    bomb = zipped(
        "决议.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (300 * 1024 * 1024)}
    )
    assert bomb.size < 1024 * 1024
    before = stored_count()
    with pytest.raises(RuleViolation) as exc:
        attach(tree, file=bomb)
    assert exc.value.rule_id == "DOC-ARCHIVE"
    assert stored_count() == before


def test_a_real_docx_is_kept(tree):
    doc = zipped(
        "决议.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w:t>决议</w:t>".encode()}
    )
    assert attach(tree, file=doc).content_type.endswith("wordprocessingml.document")


def test_a_zip_that_is_not_an_office_package_or_not_a_zip_at_all_is_refused_with_doc_type(tree):
    for file in (
        zipped("名单.xlsx", {"payload.exe": b"MZ" * 100}),
        SimpleUploadedFile("名单.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ):
        with pytest.raises(RuleViolation) as exc:
            attach(tree, file=file)
        assert exc.value.rule_id == "DOC-TYPE"


def test_a_txt_with_binary_after_its_first_bytes_is_refused_with_doc_type(tree):
    text = SimpleUploadedFile("记录.txt", "谈话记录\n".encode() * 2000 + b"\x00\x01binary")
    with pytest.raises(RuleViolation) as exc:
        attach(tree, file=text)
    assert exc.value.rule_id == "DOC-TYPE"
    assert attach(tree, file=SimpleUploadedFile("记录.txt", "谈话记录\n".encode() * 2000)).size > 8192
