"""Every error of the JSON API is JSON in the shape `{"detail": …}` (or the 422 rule error), with a status the
OpenAPI document lists — whether the API, a middleware or Django's URL resolver answers; pages keep theirs."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.support.api import API, token_for
from tests.support.personas import PASSWORD, client_for

JSON = "application/json"


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:200]
    assert response["Content-Type"].startswith(JSON), response["Content-Type"]
    body = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    return body


@pytest.fixture
def bearer(personas):
    return {"Authorization": f"Bearer {token_for('county_admin')}"}


def assert_too_large(response) -> None:
    """413 with the refusal of rule INPUT-SIZE (the rule error shape)."""
    assert response.status_code == 413, response.content[:200]
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert body["rule_id"] == "INPUT-SIZE" and body["message"], body


def over_the_limit(settings) -> bytes:
    """A JSON body one byte over DATA_UPLOAD_MAX_MEMORY_SIZE (made small, so the test stays fast)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "secretary_a", "password": PASSWORD, "pad": ""}).encode()
    return body[:-2] + b"x" * (1001 - len(body)) + b'"}'


def test_json_400_when_the_token_is_asked_with_multipart_without_a_boundary(personas):
    response = Client().post(
        f"{API}/auth/token",
        f"username=secretary_a&password={PASSWORD}".encode(),
        content_type="multipart/form-data",
    )
    assert_json_error(response, 400)


def test_json_400_when_an_upload_is_multipart_without_a_boundary(bearer, tree):
    response = Client().post(
        f"{API}/recruitment/applicants/1/documents",
        b"--x\r\n",
        content_type="multipart/form-data",
        headers=bearer,
    )
    assert_json_error(response, 400)


def test_json_400_in_chinese_when_the_json_body_is_malformed(bearer):
    response = Client().post(f"{API}/orgs", b'{"name": ', content_type="application/json", headers=bearer)
    assert assert_json_error(response, 400)["detail"] == "请求无法解析"


def test_json_400_when_the_content_type_is_not_the_documented_one(bearer):
    response = Client().post(f"{API}/orgs", b"name=x", content_type="text/plain", headers=bearer)
    assert_json_error(response, 400)


def test_json_413_when_the_body_is_over_the_size_limit(personas, settings):
    body = over_the_limit(settings)
    assert len(body) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = Client().post(f"{API}/auth/token", body, content_type="application/json")
    assert_too_large(response)


def test_json_413_when_a_multipart_field_is_over_the_size_limit(bearer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        f"{API}/recruitment/applicants/1/documents", {"kind": "x" * 1001}, headers=bearer
    )
    assert_too_large(response)


def test_json_413_when_a_middleware_reads_a_body_over_the_limit(personas, settings):
    settings.MIDDLEWARE = ["tests.support.api.PostReadingMiddleware", *settings.MIDDLEWARE]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(f"{API}/auth/token", {"username": "secretary_a", "password": "x" * 1001})
    assert_too_large(response)


def test_json_400_when_a_middleware_reads_multipart_without_a_boundary(personas, settings):
    settings.MIDDLEWARE = ["tests.support.api.PostReadingMiddleware", *settings.MIDDLEWARE]
    response = Client().post(f"{API}/auth/token", b"username=x", content_type="multipart/form-data")
    assert_json_error(response, 400)


def test_page_keeps_its_html_400_when_a_middleware_reads_multipart_without_a_boundary(personas, settings):
    settings.MIDDLEWARE = ["tests.support.api.PostReadingMiddleware", *settings.MIDDLEWARE]
    response = Client().post("/accounts/login/", b"username=x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_json_404_when_the_api_path_is_unknown(bearer):
    assert_json_error(Client().get(f"{API}/no/such/operation", headers=bearer), 404)
    assert_json_error(Client().post("/api/v2/orgs", headers=bearer), 404)


def test_json_405_with_allow_when_the_operation_does_not_take_the_method(bearer):
    response = Client().put(f"{API}/orgs", headers=bearer)
    assert_json_error(response, 405)
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_json_401_not_a_csrf_page_when_a_signed_in_browser_posts_without_token(personas):
    client = client_for("secretary_a")
    client.handler.enforce_csrf_checks = True
    response = client.post(f"{API}/orgs", json.dumps({"name": "x"}), content_type=JSON)
    assert_json_error(response, 401)


def test_json_500_without_details_when_an_operation_fails_unexpectedly(bearer, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("grassroots.orgs.api.selectors.org_get", broken)
    response = Client(raise_request_exception=False).get(f"{API}/orgs/C", headers=bearer)
    body = assert_json_error(response, 500)
    assert "secret" not in body["detail"]
