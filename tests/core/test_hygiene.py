"""core.hygiene and where it is applied for pages: the checks themselves, the middleware on paths and query
strings, and `core.http.form_call` on every form run through a service (issue 9, item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.core import hygiene
from grassroots.core.errors import RuleViolation
from grassroots.core.http import form_call
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from tests.factories import make_id_number

TODAY = dt.date(2026, 6, 15)


def rule_of(call) -> str | None:
    try:
        call()
    except RuleViolation as exc:
        return exc.rule_id
    return None


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("张三", False),
        ("北京市\r\n东城区\t1号", False),
        ("a\u200db", False),  # zero-width joiner: part of emoji and some scripts
        ("\x00", True),
        ("\x08", True),
        ("\x0b", True),
        ("\x1f", True),
        ("\x7f", True),
        ("\x80", True),
        ("\x9f", True),
        ("\ud800", True),
        ("\u200b", True),
        ("\u200e", True),
        ("\u202a", True),
        ("\u2069", True),
        ("\ufeff", True),
        ("\uffff", True),
    ],
)
def test_check_text_refuses_control_and_invisible_characters_only(text, refused):
    expected = hygiene.INPUT_TEXT if refused else None
    assert rule_of(lambda: hygiene.check_text(text, field="name")) == expected


@pytest.mark.parametrize(
    ("value", "maximum", "refused"),
    [
        (2**63 - 1, hygiene.BIGINT_MAX, False),
        (2**63, hygiene.BIGINT_MAX, True),
        (-(2**63), hygiene.BIGINT_MAX, True),
        (100_000, hygiene.MAX_COUNT, False),
        (100_001, hygiene.MAX_COUNT, True),
        (-5, hygiene.MAX_COUNT, False),
    ],
)
def test_check_int_bounds(value, maximum, refused):
    expected = hygiene.INPUT_INT if refused else None
    assert rule_of(lambda: hygiene.check_int(value, field="n", maximum=maximum)) == expected


@pytest.mark.parametrize(
    ("field", "day", "refused"),
    [
        ("birth_date", dt.date(1900, 1, 1), False),
        ("birth_date", dt.date(1899, 12, 31), True),
        ("birth_date", TODAY + dt.timedelta(days=1), True),
        ("issued_on", dt.date(1921, 7, 1), False),
        ("issued_on", dt.date(1921, 6, 30), True),
        ("issued_on", TODAY, False),
        ("issued_on", TODAY + dt.timedelta(days=1), True),
        ("admitted_on", dt.date(1921, 6, 30), True),
        ("admitted_on", TODAY + dt.timedelta(days=400), False),  # its future: REC-NOT-FUTURE
        ("valid_until", dt.date(2036, 6, 15), False),
        ("valid_until", dt.date(2036, 6, 16), True),
        ("dues_paid_to", dt.date(9999, 12, 31), True),
        ("dues_paid_to", dt.date(1, 1, 1), True),
    ],
)
def test_check_date_by_field_name(field, day, refused):
    expected = hygiene.INPUT_DATE if refused else None
    assert rule_of(lambda: hygiene.check_date(day, field=field, today=TODAY)) == expected


def test_check_tree_names_the_nearest_key_and_checks_keys_lists_and_iso_dates():
    with pytest.raises(RuleViolation) as caught:
        hygiene.check_tree({"roster": {"excluded": [{"member": 1, "reason": "病\x00"}]}})
    assert (caught.value.rule_id, caught.value.field) == ("INPUT-TEXT", "reason")
    assert rule_of(lambda: hygiene.check_tree({"a\x00": 1})) == "INPUT-TEXT"
    assert rule_of(lambda: hygiene.check_tree({"ids": [1, 2**64]})) == "INPUT-INT"
    assert rule_of(lambda: hygiene.check_tree({"x": "9999-12-31"})) == "INPUT-DATE"
    assert rule_of(lambda: hygiene.check_tree({"x": "2026-02-30", "ok": True, "n": None})) is None


class _Form(forms.Form):
    note = forms.CharField(required=False)
    day = forms.DateField(required=False)


def test_form_call_shows_a_refused_character_on_its_field_and_does_not_call_the_service():
    calls = []
    form = _Form({"note": "备注\x01", "day": ""})
    called = form_call(form, calls.append)
    assert not called.ok and calls == []
    assert "INPUT-TEXT" in str(form.errors["note"])


def test_form_call_refuses_an_implausible_date_on_its_field():
    form = _Form({"note": "", "day": "9999-12-31"})
    assert not form_call(form, lambda data: None).ok
    assert "INPUT-DATE" in str(form.errors["day"])


def test_member_edit_page_refuses_a_control_character_as_a_form_error(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("members:edit", args=[tree.zhang.pk])
    data = {
        "name": tree.zhang.name,
        "sex": tree.zhang.sex,
        "ethnicity": tree.zhang.ethnicity,
        "birth_date": tree.zhang.birth_date.isoformat(),
        "education": tree.zhang.education,
        "occupation": tree.zhang.occupation,
        "phone": tree.zhang.phone,
        "admitted_on": tree.zhang.admitted_on.isoformat(),
        "converted_on": tree.zhang.converted_on.isoformat() if tree.zhang.converted_on else "",
        "party_group": "A1",
        "unit_name": "测试\x1b局",
    }
    response = client.post(url, data)
    assert response.status_code in (200, 422)
    assert "INPUT-TEXT" in response.content.decode()
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.zhang.pk).unit_name == tree.zhang.unit_name


def test_page_query_with_nul_answers_422_naming_input_text(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("members:list"), {"q": "张\x00"})
    assert response.status_code == 422
    assert "INPUT-TEXT" in response.content.decode()


def test_page_path_with_an_id_beyond_bigint_answers_404(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(f"/members/{2**70}/").status_code == 404


@pytest.mark.parametrize("page", [str(10**17), str(10**30), "-1", "abc"])
def test_member_list_page_number_beyond_the_last_never_500(client, personas, tree, page):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("members:list"), {"page": page}).status_code == 200


def test_member_export_after_a_nul_was_sent_answers_200(client, personas, tree):
    """The probe's sequence: a member created with a NUL in a text, then the roster export (which answered
    500). The NUL is refused now, and the export opens."""
    client.force_login(personas.county_admin)
    birth = dt.date(1992, 3, 4)
    data = {
        "name": "赵\x00六",
        "sex": "female",
        "ethnicity": "汉族",
        "birth_date": birth.isoformat(),
        "id_number": make_id_number(birth, "female"),
        "status": "probationary",
        "joined_how": "recruited",
        "education": "bachelor",
        "occupation": "worker",
        "admitted_on": "2024-07-01",
        "unit_name": "测试\x00局",
    }
    response = client.post(reverse("members:create", args=[tree.a.code]), data)
    assert response.status_code in (200, 422)
    with unscoped():
        assert not Member.objects.unscoped_all().filter(name__startswith="赵").exists()
    export = client.get(reverse("members:export"))
    assert export.status_code == 200
    b"".join(export.streaming_content)


class _Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    ("path", "kind"), [("/api/v1/documents/1", "application/json"), ("/members/", "text/html")]
)
def test_body_over_the_limit_refused_with_413_input_size_before_it_is_read(rf, settings, path, kind):
    from grassroots.core.middleware import InputHygieneMiddleware

    settings.REQUEST_MAX_BYTES = 1000
    request = rf.post(path, data=b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="1001")
    request._stream = _Unreadable()
    request.user = AnonymousUser()

    def view(request):
        raise AssertionError("the view ran")

    response = InputHygieneMiddleware(view)(request)
    assert response.status_code == 413
    assert response["Content-Type"].startswith(kind)
    assert "INPUT-SIZE" in response.content.decode()


def test_document_upload_over_the_limit_refused_with_413_through_the_api(api_as, tree, settings):
    settings.REQUEST_MAX_BYTES = 2000
    api = api_as("secretary_a")
    response = api.client.post(
        f"/api/v1/members/{tree.zhang.pk}",
        {"file": SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 5000)},
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert response.status_code == 413
    assert response.json()["rule_id"] == "INPUT-SIZE"
