"""The shared view plumbing: a form run through a service, and the central mapping of domain errors."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import Http404
from django.test import RequestFactory

from grassroots.core.api_pages import PagePagination
from grassroots.core.citations import citation
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.http import form_call, form_view, refusal_message
from grassroots.core.middleware import DomainErrorMiddleware
from grassroots.core.scoping import Scope


class NameForm(forms.Form):
    name = forms.CharField()
    note = forms.CharField(required=False)


def _request(method="post", data=None, htmx=False):
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "post" else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = htmx
    return request


def _refuse(field=None, message="不行（TEST-RULE）"):
    def act(data):
        raise RuleViolation("TEST-RULE", message, field=field)

    return act


def _shown(errors) -> list[tuple[str, str]]:
    """Each form error as (the message people read, the rule id label): core/_citation.html's parts."""
    found = []
    for error in errors:
        message = re.search(r'class="rule-message">(.*?)</span>', error)[1]
        rule_id = re.search(r'class="rule-id"[^>]*>(.*?)</span>', error)[1]
        found.append((message, rule_id))
    return found


def test_error_on_named_field_with_rule_id_when_service_refuses():
    form = NameForm({"name": "张三"})
    called = form_call(form, _refuse(field="note", message="不行"))
    assert not called.ok and called.refusal.rule_id == "TEST-RULE"
    assert _shown(form.errors["note"]) == [("不行", "TEST-RULE")]
    assert form.fields["note"].widget.attrs["aria-invalid"] == "true"


def test_non_field_error_when_refusal_names_no_form_field():
    form = NameForm({"name": "张三"})
    form_call(form, _refuse(field="elsewhere"))
    assert _shown(form.non_field_errors()) == [("不行", "TEST-RULE")]


def test_renamed_field_gets_the_error_when_service_field_differs():
    form = NameForm({"name": "张三"})
    form_call(form, _refuse(field="other"), fields={"other": "note"})
    assert _shown(form.errors["note"]) == [("不行", "TEST-RULE")]


def test_named_exception_shown_on_field_when_listed_in_refusals():
    def act(data):
        raise NotFound

    form = NameForm({"name": "张三"})
    called = form_call(form, act, refusals={NotFound: ("note", "找不到")})
    assert not called.ok and form.errors["note"] == ["找不到"]


def test_service_not_called_when_form_invalid():
    calls = []
    called = form_call(NameForm({}), calls.append)
    assert not called.ok and calls == []


def test_rule_id_not_repeated_when_message_names_it():
    assert refusal_message(RuleViolation("R-1", "消息（R-1）")) == "消息（R-1）"
    assert refusal_message(RuleViolation("R-1", "消息")) == "消息（R-1）"


def _view(request, act, **kwargs):
    return form_view(
        request,
        NameForm(request.POST or None),
        act,
        success=lambda result: f"/done/{result}/",
        message=lambda result: f"已保存 {result}",
        template="core/refused.html",
        context=lambda: {"refusal": RuleViolation("X", "x"), "cited": citation("X", "页面")},
        **kwargs,
    )


@pytest.mark.django_db
def test_redirect_with_message_when_service_succeeds():
    request = _request(data={"name": "A1"})
    response = _view(request, lambda data: data["name"])
    assert response.status_code == 302 and response.url == "/done/A1/"
    assert [str(m) for m in get_messages(request)] == ["已保存 A1"]


@pytest.mark.django_db
def test_hx_redirect_when_htmx_request_succeeds():
    response = _view(_request(data={"name": "张三"}, htmx=True), lambda data: 7)
    assert response.status_code == 200 and response["HX-Redirect"] == "/done/7/"


@pytest.mark.django_db
def test_form_shown_again_with_given_status_when_service_refuses():
    response = _view(_request(data={"name": "张三"}), _refuse(), status=422)
    assert response.status_code == 422
    assert "页面" in response.content.decode()


@pytest.mark.django_db
def test_form_shown_with_200_when_get():
    calls = []
    assert _view(_request("get"), calls.append, status=422).status_code == 200
    assert calls == []


def test_not_found_is_the_404_of_a_missing_object_when_a_view_raises_it():
    middleware = DomainErrorMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_exception(_request("get"), NotFound())


@pytest.mark.django_db
def test_422_page_naming_the_rule_when_a_view_lets_a_refusal_escape():
    middleware = DomainErrorMiddleware(lambda request: None)
    request = _request("get")
    request.user, request.scope = AnonymousUser(), Scope.anonymous()
    response = middleware.process_exception(request, RuleViolation("TEST-RULE", "不行"))
    assert response.status_code == 422
    assert "TEST-RULE" in response.content.decode() and "不行" in response.content.decode()


def test_other_exceptions_pass_through_the_middleware():
    assert DomainErrorMiddleware(lambda request: None).process_exception(_request(), ValueError()) is None


def _page(items, **query):
    pagination = PagePagination()
    return pagination.paginate_queryset(items, PagePagination.Input(**query), request=None)


def test_page_count_and_next_page_when_paging_a_list():
    page = _page(list(range(5)), page=2, page_size=2)
    assert (list(page["items"]), page["count"], page["page"], page["page_size"], page["next"]) == (
        [2, 3],
        5,
        2,
        2,
        3,
    )


def test_no_next_page_when_on_the_last_page_or_past_it():
    assert _page(list(range(4)), page=2, page_size=2)["next"] is None
    past = _page(list(range(4)), page=9, page_size=2)
    assert (list(past["items"]), past["count"], past["next"]) == ([], 4, None)


def test_fifty_per_page_when_page_size_is_not_given():
    page = _page(list(range(60)))
    assert (len(page["items"]), page["page_size"], page["next"]) == (50, 50, 2)
