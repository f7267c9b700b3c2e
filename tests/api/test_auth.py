import json

from django.test import Client

from grassroots.accounts.models import ApiToken
from tests.support.api import API, ApiClient, token_for
from tests.support.personas import PASSWORD


def post_token(username, password, client=None):
    return (client or Client()).post(
        f"{API}/auth/token",
        json.dumps({"username": username, "password": password}),
        content_type="application/json",
    )


def test_token_issued_when_credentials_are_right(personas):
    response = post_token("secretary_a", PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.filter(user=personas.secretary_a, prefix=key[:8], revoked_at=None).exists()
    assert ApiClient(key).get("/orgs").status_code == 200


def test_401_when_password_is_wrong(personas):
    response = post_token("secretary_a", "wrong-password")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_401_when_user_is_unknown(personas):
    assert post_token("nobody", PASSWORD).status_code == 401


def test_422_with_rule_id_when_body_is_incomplete(personas):
    response = Client().post(
        f"{API}/auth/token", json.dumps({"username": "x"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-VALIDATION"
    assert response.json()["field"] == "password"


def test_locked_out_with_401_when_five_attempts_failed(personas):
    client = Client()
    for _ in range(5):
        response = post_token("secretary_a", "wrong-password", client)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json; charset=utf-8"
    response = post_token("secretary_a", PASSWORD, client)
    assert response.status_code == 401
    assert "锁定" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_token_issued_when_four_attempts_failed(personas):
    for _ in range(4):
        assert post_token("secretary_a", "wrong-password").status_code == 401
    assert post_token("secretary_a", PASSWORD).status_code == 200


def test_lockout_applies_to_one_username_only_when_another_failed(personas):
    for _ in range(5):
        post_token("secretary_a", "wrong-password")
    assert post_token("secretary_b", PASSWORD).status_code == 200


def test_token_rejected_when_revoked(personas):
    key = token_for("secretary_a")
    client = ApiClient(key)
    assert client.get("/orgs").status_code == 200
    assert client.delete("/auth/token").status_code == 204
    assert client.get("/orgs").status_code == 401
    assert client.delete("/auth/token").status_code == 401
    assert ApiToken.objects.get(prefix=key[:8]).revoked_at is not None


def test_other_tokens_work_when_one_is_revoked(personas):
    first, second = ApiClient(token_for("secretary_a")), ApiClient(token_for("secretary_a"))
    assert first.delete("/auth/token").status_code == 204
    assert second.get("/orgs").status_code == 200


def test_401_when_no_token_is_sent(personas, anonymous_api):
    response = anonymous_api.get("/orgs")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_401_when_token_is_unknown(personas):
    assert ApiClient("not-a-real-token").get("/orgs").status_code == 401


def test_401_when_token_has_expired(personas):
    import datetime as dt

    from django.utils import timezone

    key = token_for("secretary_a")
    ApiToken.objects.filter(prefix=key[:8]).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(key).get("/orgs").status_code == 401


def test_401_when_user_is_deactivated(personas):
    key = token_for("secretary_a")
    personas.secretary_a.is_active = False
    personas.secretary_a.save()
    assert ApiClient(key).get("/orgs").status_code == 401
