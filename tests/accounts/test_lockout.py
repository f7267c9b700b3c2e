"""Issue 9, item 1: every failed credential check counts toward the lockout whatever the body's encoding,
and a malformed body is refused before the password is checked (never an oracle)."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.test import Client, RequestFactory
from django.urls import reverse

from grassroots.accounts.models import ApiToken
from tests.support.api import API
from tests.support.personas import PASSWORD

TOKEN = f"{API}/auth/token"


def json_token(client, username, password):
    body = json.dumps({"username": username, "password": password})
    return client.post(TOKEN, body, content_type="application/json")


def failures(username):
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def multipart_without_boundary(client, password):
    """The probe's request: JSON credentials sent as multipart/form-data without a boundary."""
    body = json.dumps({"username": "secretary_a", "password": password})
    return client.post(TOKEN, body, content_type="multipart/form-data")


MALFORMED = {
    "multipart without boundary": lambda pw: (
        json.dumps({"username": "secretary_a", "password": pw}),
        "multipart/form-data",
    ),
    "form-encoded": lambda pw: (f"username=secretary_a&password={pw}", "application/x-www-form-urlencoded"),
    "text/plain JSON": lambda pw: (json.dumps({"username": "secretary_a", "password": pw}), "text/plain"),
    "truncated multipart": lambda pw: (
        '--xx\r\nContent-Disposition: form-data; name="username"\r\n\r\nsecretary_a\r\n--xx\r\nContent-Dis',
        "multipart/form-data; boundary=xx",
    ),
}


def test_token_request_refused_the_same_for_right_and_wrong_password_when_multipart_has_no_boundary(personas):
    client = Client()
    wrong, right = (
        multipart_without_boundary(client, "wrong-password"),
        multipart_without_boundary(client, PASSWORD),
    )
    assert wrong.status_code == right.status_code == 400
    assert wrong["Content-Type"] == right["Content-Type"] == "application/json; charset=utf-8"
    assert wrong.json() == right.json()
    assert not ApiToken.objects.exists()


def test_right_password_refused_when_five_multipart_attempts_without_boundary_failed(personas):
    client = Client()
    for _ in range(5):
        assert multipart_without_boundary(client, "wrong-password").status_code == 400
    assert failures("secretary_a") == 5
    response = json_token(client, "secretary_a", PASSWORD)
    assert response.status_code == 401
    assert "锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_token_body_refused_before_password_check_and_counted(personas, kind):
    client = Client()
    for password in ("wrong-password", PASSWORD):
        body, content_type = MALFORMED[kind](password)
        response = client.post(TOKEN, body, content_type=content_type)
        assert response.status_code == 400, response.content
        assert response.json()["detail"]
    assert not ApiToken.objects.exists()
    assert failures("secretary_a") == 2


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"secretary_a"', ""])
def test_token_body_that_is_not_a_json_object_refused_with_400(personas, body):
    response = Client().post(TOKEN, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_lockout_handler_counts_failure_when_form_fields_cannot_be_parsed(personas):
    """The root cause: axes' handler read request.POST, which raised for such a body, and nothing was saved."""
    request = RequestFactory().post(TOKEN, "{}", content_type="multipart/form-data")
    user_login_failed.send(sender=__name__, credentials={"username": "secretary_a"}, request=request)
    assert failures("secretary_a") == 1


def login(client, password, **kwargs):
    return client.post(reverse("accounts:login"), {"username": "secretary_a", "password": password}, **kwargs)


def test_login_form_refuses_multipart_without_boundary_before_password_check(personas):
    client = Client()
    responses = [
        client.post(
            reverse("accounts:login"),
            f"username=secretary_a&password={pw}",
            content_type="multipart/form-data",
        )
        for pw in ("wrong-password", PASSWORD)
    ]
    assert [r.status_code for r in responses] == [400, 400]
    assert client.get(reverse("home")).status_code == 302  # not signed in


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_login_form_locks_out_when_five_attempts_failed_in_either_encoding(personas, encoding):
    client = Client()
    for _ in range(5):
        if encoding == "multipart":
            login(client, "wrong-password")
        else:
            client.post(
                reverse("accounts:login"),
                "username=secretary_a&password=wrong-password",
                content_type="application/x-www-form-urlencoded",
            )
    assert failures("secretary_a") == 5
    assert login(client, PASSWORD).status_code == 429


def test_two_factor_code_masked_in_the_failure_axes_keeps(personas):
    from tests.support.otp import device_for, wrong_code_for

    device = device_for(personas.secretary_a)
    client = Client()
    login(client, PASSWORD)
    code = wrong_code_for(device)
    client.post(reverse("accounts:otp"), {"token": code})
    attempt = AccessAttempt.objects.get(username="secretary_a")
    assert code not in attempt.post_data
