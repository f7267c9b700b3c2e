"""A meeting's documents (材料): photos, the scanned sign-in sheet and the papers, uploaded on the meeting's page
or through the API by the editors of the org's meetings, read by its viewers, refused by content, withdrawn with
a reason (never deleted), and still added after the minutes are final without touching the sealed record."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.documents.models import Document
from grassroots.meetings import services
from grassroots.meetings.choices import MeetingDocumentKind
from tests.factories import SYSTEM, make_meeting
from tests.support.api import ApiClient, token_for
from tests.support.documents import PDF_BYTES, pdf
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db
D = dt.date
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def meeting(tree, personas):
    return make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="十一月党员大会")


def documents() -> list[Document]:
    with unscoped():
        return list(Document.objects.unscoped_all().select_related("subject_type").order_by("id"))


def add_on_page(client, meeting, **fields):
    return client.post(reverse("meetings:document_add", args=[meeting.pk]), fields)


def detail_html(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_meeting_document_kind_has_its_chinese_label():
    assert dict(MeetingDocumentKind.choices) == {
        "photo": "会议照片",
        "sign_in_sheet": "签到表扫描件",
        "materials": "会议材料",
        "other": "其他",
    }


def test_upload_on_the_page_is_listed_in_the_materials_panel_when_a_secretary_adds_a_photo(meeting):
    client = client_for("secretary_a")
    photo = SimpleUploadedFile("合影.png", PNG_BYTES, "image/png")
    response = add_on_page(client, meeting, file=photo, kind="photo", title="会议合影")
    assert response.status_code == 302
    (document,) = documents()
    assert response["Location"].endswith(f"#document-{document.pk}")
    assert (document.subject_type.model, document.subject_id) == ("meeting", meeting.pk)
    assert document.org_id == meeting.org_id and document.uploaded_by.username == "secretary_a"
    assert document.content_type == "image/png"
    html = detail_html(client, meeting)
    assert 'id="documents"' in html and "会议合影" in html and "会议照片" in html
    assert reverse("documents:content", args=[document.pk]) in html
    assert "secretary_a" in html and 'id="document-form"' in html
    download = client.get(reverse("documents:content", args=[document.pk]))
    assert b"".join(download.streaming_content) == PNG_BYTES


def test_viewer_sees_the_documents_but_cannot_upload_when_only_a_viewer(meeting):
    services.meeting_document_attach(
        scope=SYSTEM,
        actor=None,
        meeting=meeting,
        kind="sign_in_sheet",
        title="签到表",
        file=pdf("签到表.pdf"),
    )
    viewer = client_for("county_viewer")
    html = detail_html(viewer, meeting)
    assert "签到表" in html and "签到表扫描件" in html
    assert 'id="document-form"' not in html and "撤回材料" not in html
    response = add_on_page(viewer, meeting, file=pdf(), kind="other")
    assert response.status_code == 403
    (document,) = documents()
    response = viewer.post(
        reverse("meetings:document_withdraw", args=[meeting.pk, document.pk]), {"reason": "不该撤回"}
    )
    assert response.status_code == 403
    assert len(documents()) == 1 and not documents()[0].withdrawn


def test_outsider_gets_404_when_a_sibling_branch_opens_uploads_or_withdraws(meeting):
    document = services.meeting_document_attach(
        scope=SYSTEM, actor=None, meeting=meeting, kind="materials", title="学习材料", file=pdf()
    )
    outsider = client_for("secretary_b")
    assert outsider.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert add_on_page(outsider, meeting, file=pdf(), kind="other").status_code == 404
    url = reverse("meetings:document_withdraw", args=[meeting.pk, document.pk])
    assert outsider.post(url, {"reason": "越权"}).status_code == 404
    assert outsider.get(reverse("documents:content", args=[document.pk])).status_code == 404
    assert len(documents()) == 1 and not documents()[0].withdrawn


def test_withdrawn_document_stays_listed_struck_with_its_reason_when_withdrawn(meeting):
    document = services.meeting_document_attach(
        scope=SYSTEM, actor=None, meeting=meeting, kind="photo", title="错传的照片", file=pdf("照片.pdf")
    )
    client = client_for("secretary_a")
    url = reverse("meetings:document_withdraw", args=[meeting.pk, document.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and not documents()[0].withdrawn
    response = client.post(url, {"reason": "传成了另一次会议的照片"})
    assert response.status_code == 302 and response["Location"].endswith(f"#document-{document.pk}")
    (kept,) = documents()
    assert kept.withdrawn and kept.withdrawn_reason == "传成了另一次会议的照片"
    assert kept.withdrawn_by.username == "secretary_a"
    html = detail_html(client, meeting)
    assert "document-withdrawn" in html and "<del>" in html and "错传的照片" in html
    assert "传成了另一次会议的照片" in html


def test_withdraw_answers_404_when_the_document_belongs_to_another_meeting(tree, meeting):
    other = make_meeting(tree.a, planned_on=D(2026, 11, 20), topic="另一次会议")
    document = services.meeting_document_attach(
        scope=SYSTEM, actor=None, meeting=other, kind="photo", title="另一次的照片", file=pdf()
    )
    url = reverse("meetings:document_withdraw", args=[meeting.pk, document.pk])
    assert client_for("secretary_a").post(url, {"reason": "不属于本会"}).status_code == 404
    assert not documents()[0].withdrawn


def test_upload_is_allowed_after_final_minutes_and_the_seals_still_verify(meeting):
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="会议讨论了第四季度工作。")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=D(2026, 11, 3))
    assert services.seals_verify() == []
    client = client_for("secretary_a")
    html = detail_html(client, meeting)
    assert 'id="final-note"' in html and 'id="document-form"' in html
    sheet = pdf("签到表.pdf")
    response = add_on_page(client, meeting, file=sheet, kind="sign_in_sheet", title="签字签到表")
    assert response.status_code == 302
    assert [d.title for d in documents()] == ["签字签到表"]
    assert services.seals_verify() == []
    out = io.StringIO()
    call_command("audit_verify", "--no-checkpoints", stdout=out, stderr=io.StringIO())
    assert "签字签到表" in detail_html(client, meeting)


def test_bad_file_is_refused_by_its_content_when_an_executable_is_renamed_pdf(meeting):
    client = client_for("secretary_a")
    fake = SimpleUploadedFile("签到表.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = add_on_page(client, meeting, file=fake, kind="sign_in_sheet")
    assert response.status_code == 422
    html = response.content.decode()
    assert "DOC-TYPE" in html and "upload-error" in html
    assert documents() == []


def test_unknown_kind_is_refused_when_sent_to_the_service(meeting):
    from grassroots.core.errors import RuleViolation

    with pytest.raises(RuleViolation) as info:
        services.meeting_document_attach(
            scope=SYSTEM, actor=None, meeting=meeting, kind="application_letter", title="", file=pdf()
        )
    assert info.value.rule_id == "API-VALIDATION" and info.value.field == "kind"
    assert documents() == []


# ---------------------------------------------------------------------------------------------------- API


def upload(username: str, meeting, **fields):
    client = ApiClient(token_for(username))
    headers = {"Authorization": f"Bearer {client.token}"}
    return client.client.post(f"/api/v1/meetings/{meeting.pk}/documents", fields, headers=headers)


def test_api_uploads_and_lists_a_meetings_documents(meeting):
    response = upload("secretary_a", meeting, file=pdf("会议材料.pdf"), kind="materials", title="学习材料")
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["kind_label"] == "会议材料" and out["title"] == "学习材料" and out["withdrawn"] is False
    assert out["size"] == len(PDF_BYTES) and len(out["sha256"]) == 64
    client = ApiClient(token_for("county_viewer"))
    listed = client.get(f"/meetings/{meeting.pk}/documents").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == out["id"]
    assert b"".join(client.get(out["url"]).streaming_content) == PDF_BYTES


def test_api_refuses_viewers_outsiders_and_bad_files(meeting):
    assert upload("county_viewer", meeting, file=pdf(), kind="photo").status_code == 403
    assert upload("secretary_b", meeting, file=pdf(), kind="photo").status_code == 404
    outsider = ApiClient(token_for("secretary_b"))
    assert outsider.get(f"/meetings/{meeting.pk}/documents").status_code == 404
    fake = SimpleUploadedFile("照片.png", b"%PDF-1.4 not a png", "image/png")
    response = upload("secretary_a", meeting, file=fake, kind="photo")
    assert response.status_code == 422 and response.json()["rule_id"] == "DOC-TYPE"
    assert documents() == []
