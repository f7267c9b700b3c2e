"""Error pages speak Chinese (English on request), keep the site's layout and offer a way back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.views import defaults

from tests.support.personas import client_for

HOME_LINK = 'href="/"'


def assert_error_page(response, status: int, title: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert title in body
    assert f"错误代码 {status}" in body
    assert HOME_LINK in body and "返回上一页" in body
    return body


@pytest.mark.django_db
def test_missing_page_answers_in_chinese_in_the_site_layout_when_the_url_is_unknown(personas):
    body = assert_error_page(client_for("secretary_a").get("/no/such/page/"), 404, "页面不存在")
    assert 'id="nav-home"' in body  # the site's menu, so the person can go on from here


@pytest.mark.django_db
def test_missing_page_is_the_answer_when_the_org_is_outside_the_scope(personas, tree):
    assert_error_page(client_for("secretary_a").get(f"/orgs/{tree.b.code}/"), 404, "页面不存在")


@pytest.mark.django_db
def test_forbidden_page_answers_in_chinese_when_the_role_may_not_do_it(personas, tree):
    assert_error_page(client_for("county_viewer").get(f"/orgs/{tree.a.code}/edit/"), 403, "没有权限")


@pytest.mark.django_db
def test_method_not_allowed_page_keeps_the_allow_header_when_a_get_only_page_is_posted(personas):
    response = client_for("secretary_a").post("/orgs/")
    assert_error_page(response, 405, "不能这样办理")
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_api_keeps_its_own_answer_when_a_method_is_not_allowed(personas):
    response = client_for("secretary_a").put("/api/v1/auth/token")
    assert response.status_code == 405
    assert "不能这样办理" not in response.content.decode()
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]


@pytest.mark.django_db
def test_bad_request_and_server_error_pages_answer_in_chinese_when_rendered_by_the_handlers(personas):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    bad = defaults.bad_request(request, Exception("bad"))
    assert_error_page(bad, 400, "请求无法处理")
    broken = defaults.server_error(request)
    assert_error_page(broken, 500, "系统出错")


@pytest.mark.django_db
def test_missing_page_answers_in_english_when_the_person_chose_english(personas):
    client = client_for("secretary_a")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/no/such/page/").content.decode()
    assert "Page not found" in body and "Error 404" in body
