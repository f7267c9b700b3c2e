"""Documents (材料) of a dossier: uploaded on the dossier page under a step or for the dossier, with a step in
one transaction (a refused step keeps no file), withdrawn with a reason, listed and uploaded through the API,
and part of the dossier output; the dossier page reads all of them in one query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.documents import services as document_services
from grassroots.documents.models import Document
from grassroots.recruitment import selectors, services
from grassroots.recruitment.choices import STEP_DOCUMENT_KIND, DossierDocumentKind, EventKind
from grassroots.recruitment.models import RecruitmentEvent
from tests.factories import SYSTEM
from tests.support.api import ApiClient, token_for
from tests.support.documents import PDF_BYTES, pdf
from tests.support.dossiers import activist, applicant, events_of, stage_of
from tests.support.personas import client_for
from tests.support.queries import few_vs_many

pytestmark = pytest.mark.django_db
D = dt.date


def documents() -> list[Document]:
    with unscoped():
        return list(Document.objects.unscoped_all().select_related("subject_type").order_by("id"))


def talk_of(person) -> RecruitmentEvent:
    with unscoped():
        return RecruitmentEvent.objects.unscoped_all().get(applicant=person, kind="talk")


def attach(person, *, event=None, kind="talk_record", title="谈话记录", name="谈话记录.pdf"):
    return services.dossier_document_attach(
        scope=SYSTEM, actor=None, applicant=person, kind=kind, title=title, file=pdf(name), event=event
    )


def test_every_step_has_a_default_document_kind():
    assert set(STEP_DOCUMENT_KIND) == set(EventKind.values)
    assert set(STEP_DOCUMENT_KIND.values()) <= set(DossierDocumentKind.values)
    assert STEP_DOCUMENT_KIND[EventKind.TALK] == DossierDocumentKind.TALK_RECORD


def test_secretary_uploads_talk_record_under_the_step_on_the_dossier_page(tree, personas):
    person = activist(tree)
    talk = talk_of(person)
    client = client_for("secretary_a")
    response = client.post(
        reverse("recruitment:document_upload", args=[person.pk]),
        {"file": pdf(), "kind": "talk_record", "title": "入党谈话记录", "event": talk.pk},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#step-{talk.pk}")
    (document,) = documents()
    assert (document.subject_type.model, document.subject_id) == ("recruitmentevent", talk.pk)
    assert document.uploaded_by.username == "secretary_a"
    page = client.get(reverse("recruitment:detail", args=[person.pk]))
    step = page.context["dossier"]["timeline"][0]
    assert [d["title"] for d in step["documents"]] == ["入党谈话记录"]
    html = page.content.decode()
    assert reverse("documents:content", args=[document.pk]) in html
    assert document.sha256[:12] in html and "谈话记录" in html


def test_dossier_level_upload_is_listed_in_the_materials_section(tree, personas):
    person = applicant(tree.a, "孙申请")
    client = client_for("secretary_a")
    response = client.post(
        reverse("recruitment:document_upload", args=[person.pk]),
        {"file": pdf("申请书.pdf"), "kind": "application_letter", "title": ""},
    )
    assert response["Location"].endswith("#documents")
    page = client.get(reverse("recruitment:detail", args=[person.pk]))
    assert [d["title"] for d in page.context["dossier_documents"]] == ["申请书.pdf"]
    assert page.context["dossier"]["documents"][0]["event_id"] is None


def test_page_shows_doc_type_and_saves_nothing_when_an_executable_is_renamed_pdf(tree, personas):
    person = activist(tree)
    response = client_for("secretary_a").post(
        reverse("recruitment:document_upload", args=[person.pk]),
        {
            "file": pdf("谈话记录.pdf", b"MZ\x90\x00 not a pdf"),
            "kind": "talk_record",
            "event": talk_of(person).pk,
        },
    )
    assert response.status_code == 200
    assert "DOC-TYPE" in response.content.decode()
    assert response.context["upload_error"]["event_id"] == str(talk_of(person).pk)
    assert documents() == []


def test_page_refuses_a_step_of_another_dossier(tree, personas):
    person, other = activist(tree), activist(tree, "周八", birth=D(1997, 5, 6))
    response = client_for("secretary_a").post(
        reverse("recruitment:document_upload", args=[person.pk]),
        {"file": pdf(), "kind": "talk_record", "event": talk_of(other).pk},
    )
    assert response.status_code == 200
    assert documents() == []


def test_404_when_secretary_uploads_to_a_sibling_branchs_dossier(tree, personas):
    other = applicant(tree.b, "赵别支部")
    response = client_for("secretary_a").post(
        reverse("recruitment:document_upload", args=[other.pk]), {"file": pdf(), "kind": "other"}
    )
    assert response.status_code == 404
    assert documents() == []


def test_withdrawn_document_stays_struck_through_with_its_reason(tree, personas):
    person = activist(tree)
    document = attach(person, event=talk_of(person))
    client = client_for("secretary_a")
    url = reverse("recruitment:document_withdraw", args=[person.pk, document.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and refused.context["withdraw_error"]["document_id"] == document.pk
    response = client.post(url, {"reason": "上传错了文件"})
    assert response.status_code == 302
    (stored,) = documents()
    assert stored.withdrawn and stored.withdrawn_reason == "上传错了文件"
    html = client.get(reverse("recruitment:detail", args=[person.pk])).content.decode()
    assert "<del>" in html and "上传错了文件" in html


def test_404_when_withdrawing_through_another_dossier(tree, personas):
    person, other = activist(tree), activist(tree, "周八", birth=D(1997, 5, 6))
    document = attach(other)
    response = client_for("secretary_a").post(
        reverse("recruitment:document_withdraw", args=[person.pk, document.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not documents()[0].withdrawn


def test_step_and_its_file_are_saved_together_when_the_step_is_lawful(tree, personas):
    person = activist(tree)
    before = events_of(person)
    response = client_for("secretary_a").post(
        reverse("recruitment:event", args=[person.pk]),
        {
            "event": "candidate_designated",
            "on": "2026-03-03",
            "document-file": pdf("支委会意见.pdf"),
            "document-kind": "assessment",
            "document-title": "确定发展对象的支委会意见",
        },
    )
    assert response.status_code == 302
    assert events_of(person) == before + 1
    (document,) = documents()
    with unscoped():
        step = RecruitmentEvent.objects.unscoped_all().get(applicant=person, kind="candidate_designated")
    assert document.subject_id == step.pk and document.kind == "assessment"


def test_refused_step_keeps_no_file_when_recorded_with_one(tree, personas):
    person = activist(tree)
    before = events_of(person)
    response = client_for("secretary_a").post(
        reverse("recruitment:event", args=[person.pk]),
        {"event": "candidate_designated", "on": "2026-03-02", "document-file": pdf(), "document-kind": ""},
    )
    assert response.status_code == 200
    assert "REC-CANDIDATE-1Y" in response.content.decode()
    assert events_of(person) == before and stage_of(person) == "activist"
    assert documents() == []


def test_refused_file_records_no_step(tree, personas):
    person = activist(tree)
    before = events_of(person)
    response = client_for("secretary_a").post(
        reverse("recruitment:event", args=[person.pk]),
        {"event": "candidate_designated", "on": "2026-03-03", "document-file": pdf("x.pdf", b"")},
    )
    assert response.status_code == 200
    assert "DOC-EMPTY" in response.content.decode()
    assert events_of(person) == before and stage_of(person) == "activist"
    assert documents() == []


def test_step_form_offers_the_steps_document_kind(tree, personas):
    person = activist(tree)
    response = client_for("secretary_a").get(
        reverse("recruitment:event", args=[person.pk]) + "?event=candidate_designated"
    )
    assert response.context["document_form"]["kind"].value() == "assessment"
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_dossier_page_reads_documents_in_one_query_whatever_their_number(tree, personas):
    person = activist(tree)
    client = client_for("secretary_a")
    url = reverse("recruitment:detail", args=[person.pk])
    attach(person)
    with unscoped():
        events = list(RecruitmentEvent.objects.unscoped_all().filter(applicant=person))

    def two_per_step():
        for e in events:
            attach(person, event=e)
            attach(person, event=e, name="第二份.pdf")

    many = few_vs_many(lambda: client.get(url), two_per_step)  # warmed first: session, content types
    assert many.few <= 9  # 8 before documents existed, + 1 for all of them
    assert len(many.result.context["dossier"]["documents"]) == 1 + 2 * len(events)


# ---------------------------------------------------------------------------------------------------- API


def api(username="secretary_a") -> ApiClient:
    return ApiClient(token_for(username))


def upload(client: ApiClient, applicant_id: int, **fields):
    headers = {"Authorization": f"Bearer {client.token}"}
    return client.client.post(
        f"/api/v1/recruitment/applicants/{applicant_id}/documents", fields, headers=headers
    )


def test_api_uploads_lists_and_downloads_a_steps_document(tree, personas):
    person = activist(tree)
    talk = talk_of(person)
    client = api()
    response = upload(client, person.pk, file=pdf(), kind="talk_record", title="谈话记录", event_id=talk.pk)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["event_id"] == talk.pk and out["kind_label"] == "谈话记录" and out["withdrawn"] is False
    assert out["size"] == len(PDF_BYTES) and len(out["sha256"]) == 64
    listed = client.get(f"/recruitment/applicants/{person.pk}/documents").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == out["id"]
    download = client.get(out["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    dossier = client.get(f"/recruitment/applicants/{person.pk}").json()
    assert [(d["id"], d["event_id"], d["sha256"]) for d in dossier["documents"]] == [
        (out["id"], talk.pk, out["sha256"])
    ]


def test_api_refuses_bad_files_with_their_rule_ids(tree, personas):
    person = applicant(tree.a, "孙申请")
    client = api()
    cases = [
        (SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00", "application/pdf"), "DOC-TYPE"),
        (SimpleUploadedFile("申请书.pdf", b"", "application/pdf"), "DOC-EMPTY"),
    ]
    for file, rule_id in cases:
        response = upload(client, person.pk, file=file, kind="application_letter")
        assert response.status_code == 422
        assert response.json()["rule_id"] == rule_id and response.json()["field"] == "file"
    assert upload(client, person.pk, file=pdf(), kind="nonsense").json()["rule_id"] == "API-VALIDATION"
    assert documents() == []


def test_api_refuses_a_step_of_another_dossier(tree, personas):
    person, other = activist(tree), activist(tree, "周八", birth=D(1997, 5, 6))
    response = upload(api(), person.pk, file=pdf(), kind="talk_record", event_id=talk_of(other).pk)
    assert response.status_code == 422 and response.json()["field"] == "event_id"
    assert documents() == []


def test_api_answers_404_for_a_sibling_branchs_dossier_documents(tree, personas):
    other = applicant(tree.b, "赵别支部")
    document = attach(other, kind="application_letter")
    client = api()
    assert upload(client, other.pk, file=pdf(), kind="other").status_code == 404
    assert client.get(f"/recruitment/applicants/{other.pk}/documents").status_code == 404
    assert client.get(f"/documents/{document.pk}/content").status_code == 404
    assert len(documents()) == 1


def test_dossier_output_marks_withdrawn_documents(tree, personas):
    from grassroots.documents import services as document_services

    person = applicant(tree.a, "孙申请")
    document = attach(person, kind="application_letter")
    document_services.document_withdraw(scope=SYSTEM, actor=None, document=document, reason="重复上传")
    (out,) = selectors.dossier(scope=SYSTEM, applicant=person)["documents"]
    assert out["withdrawn"] is True and out["withdrawn_reason"] == "重复上传" and out["event_id"] is None


def test_summary_catalogue_lists_documents_with_their_step_and_leaves_out_withdrawn_ones(tree, personas):
    person = activist(tree)
    attach(person, event=talk_of(person), title="入党谈话记录")
    attach(person, kind="application_letter", title="入党申请书", name="申请书.pdf")
    wrong = attach(person, kind="other", title="错传的文件", name="错.pdf")
    document_services.document_withdraw(scope=SYSTEM, actor=None, document=wrong, reason="错传")
    response = client_for("secretary_a").get(reverse("recruitment:summary", args=[person.pk]))
    catalogue = [(d["title"], str(d["step_label"])) for d in response.context["catalogue"]]
    assert catalogue == [("入党谈话记录", "入党谈话"), ("入党申请书", "档案材料")]
    html = response.content.decode()
    assert 'id="catalogue"' in html and "错传的文件" not in html
