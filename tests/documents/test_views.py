"""Downloading a document: the headers (attachment, Chinese file name, nosniff, private), 404 outside the
scope, and the refusal (409, logged) when the stored bytes no longer match their SHA-256."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from grassroots.documents import services
from tests.factories import SYSTEM
from tests.support.api import ApiClient, token_for
from tests.support.documents import PDF_BYTES, overwrite_stored, pdf
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db


def attach(org, subject, name="谈话记录.pdf"):
    return services.document_attach(
        scope=SYSTEM, actor=None, org=org, subject=subject, kind="talk_record", title="谈话", file=pdf(name)
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_downloads_with_safe_headers_and_chinese_file_name(tree, personas):
    document = attach(tree.a, tree.zhang)
    response = client_for("secretary_a").get(reverse("documents:content", args=[document.pk]))
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="document-{document.pk}.pdf"; '
        "filename*=UTF-8''%E8%B0%88%E8%AF%9D%E8%AE%B0%E5%BD%95.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(PDF_BYTES))


def test_404_when_a_sibling_branch_or_a_member_role_downloads(tree, personas):
    document = attach(tree.b, tree.wang)
    url = reverse("documents:content", args=[document.pk])
    assert client_for("secretary_a").get(url).status_code == 404
    assert client_for("member_b").get(url).status_code == 404
    assert client_for("secretary_b").get(url).status_code == 200
    assert (
        client_for("secretary_b").get(reverse("documents:content", args=[document.pk + 99])).status_code
        == 404
    )


def test_refuses_and_logs_when_the_stored_bytes_were_changed(tree, personas, caplog):
    document = attach(tree.a, tree.zhang)
    overwrite_stored(document, PDF_BYTES.replace(b"talk", b"TALK"))
    with caplog.at_level(logging.ERROR, logger="grassroots.documents"):
        response = client_for("secretary_a").get(reverse("documents:content", args=[document.pk]))
    assert response.status_code == 409
    assert "SHA-256" in response.content.decode()
    assert PDF_BYTES[:8] not in response.content
    assert any(
        str(document.pk) in r.getMessage() and document.sha256 in r.getMessage() for r in caplog.records
    )


def test_refuses_when_the_stored_file_is_missing(tree, personas):
    document = attach(tree.a, tree.zhang)
    document.file.storage.delete(document.file.name)
    response = client_for("secretary_a").get(reverse("documents:content", args=[document.pk]))
    assert response.status_code == 409
    assert "缺失" in response.content.decode()


def test_api_downloads_in_scope_and_answers_404_or_409_otherwise(tree, personas):
    document = attach(tree.a, tree.zhang)
    path = f"/documents/{document.pk}/content"
    response = ApiClient(token_for("secretary_a")).get(path)
    assert response.status_code == 200
    assert body(response) == PDF_BYTES
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert ApiClient(token_for("secretary_b")).get(path).status_code == 404
    overwrite_stored(document, b"%PDF-1.4 forged")
    response = ApiClient(token_for("secretary_a")).get(path)
    assert response.status_code == 409
    assert "SHA-256" in response.json()["detail"]
