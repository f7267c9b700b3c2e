"""Two-factor sign-in (TOTP, django-otp): enrolment from the account page, the code after the password,
wrong codes counted toward the lockout, removal with the password, and the policy that requires a device of
org admins (settings.GRASSROOTS_2FA_REQUIRED_ROLES)."""

import json

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts import selectors
from grassroots.accounts.models import ApiToken
from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from tests.support.api import API
from tests.support.otp import code_for, device_for, wrong_code_for
from tests.support.personas import PASSWORD, client_for

ADMINS_NEED_2FA = override_settings(GRASSROOTS_2FA_REQUIRED_ROLES=("org_admin",))


def audited(action, user) -> bool:
    with unscoped():
        return AuditEvent.objects.unscoped_all().filter(action=action, target_id=user.pk).exists()


def sign_in(client, username="secretary_a", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_policy_requires_org_admins_by_default():
    from grassroots.settings import base

    assert base.GRASSROOTS_2FA_REQUIRED_ROLES == ("org_admin",)


def test_account_page_offers_password_change_and_enrolment(personas):
    client = client_for("secretary_a")
    page = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page
    assert reverse("accounts:totp") in page
    assert reverse("accounts:account") in client.get(reverse("home")).content.decode()  # in the user menu


def test_enrolment_shows_secret_and_inline_svg_qr_code(personas):
    page = client_for("secretary_a").get(reverse("accounts:totp")).content.decode()
    assert "<svg" in page
    assert 'id="totp-secret"' in page
    assert TOTPDevice.objects.filter(user=personas.secretary_a, confirmed=False).count() == 1


def test_enrolment_confirmed_with_a_code_of_the_device_and_audited(personas):
    client = client_for("secretary_a")
    client.get(reverse("accounts:totp"))
    device = TOTPDevice.objects.get(user=personas.secretary_a)
    response = client.post(reverse("accounts:totp"), {"token": code_for(device)})
    assert response.status_code == 302
    assert selectors.totp_device(personas.secretary_a) is not None
    assert audited("user.totp_enable", personas.secretary_a)


def test_enrolment_refused_with_a_wrong_code(personas):
    client = client_for("secretary_a")
    client.get(reverse("accounts:totp"))
    device = TOTPDevice.objects.get(user=personas.secretary_a)
    response = client.post(reverse("accounts:totp"), {"token": wrong_code_for(device)})
    assert response.status_code == 422
    assert "ACC-OTP" in response.content.decode()
    assert selectors.totp_device(personas.secretary_a) is None


def test_sign_in_asks_for_the_code_and_does_not_sign_in_before_it(personas):
    device_for(personas.secretary_a)
    client = Client()
    response = sign_in(client)
    assert response.status_code == 302
    assert response.url == reverse("accounts:otp")
    assert not signed_in(client)


def test_sign_in_completes_with_the_right_code(personas):
    device = device_for(personas.secretary_a)
    client = Client()
    sign_in(client)
    response = client.post(reverse("accounts:otp"), {"token": code_for(device)})
    assert response.status_code == 302
    assert signed_in(client)


def test_sign_in_without_device_needs_no_code(personas):
    client = Client()
    assert sign_in(client).url == reverse("home")
    assert signed_in(client)


def test_wrong_codes_count_toward_lockout_and_lock_the_password_too(personas):
    device = device_for(personas.secretary_a)
    client = Client()
    sign_in(client)
    for _ in range(4):
        assert client.post(reverse("accounts:otp"), {"token": wrong_code_for(device)}).status_code == 200
    assert client.post(reverse("accounts:otp"), {"token": wrong_code_for(device)}).status_code == 429
    assert client.post(reverse("accounts:otp"), {"token": code_for(device)}).status_code == 429
    assert not signed_in(client)
    assert sign_in(Client()).status_code == 429


def test_session_signed_in_without_the_code_is_signed_out_when_a_device_is_confirmed(personas):
    device_for(personas.secretary_a)
    client = client_for("secretary_a")  # a session that never passed the code step
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert not signed_in(client)


def test_device_removed_with_the_password(personas):
    device = device_for(personas.secretary_a)
    client = Client()
    sign_in(client)
    client.post(reverse("accounts:otp"), {"token": code_for(device)})
    response = client.post(reverse("accounts:totp_remove"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.secretary_a).exists()
    assert audited("user.totp_disable", personas.secretary_a)


def test_device_kept_when_removal_password_is_wrong(personas):
    device = device_for(personas.secretary_a)
    client = Client()
    sign_in(client)
    client.post(reverse("accounts:otp"), {"token": code_for(device)})
    response = client.post(reverse("accounts:totp_remove"), {"password": "wrong-password"}, follow=True)
    assert "ACC-PASSWORD" in response.content.decode()
    assert TOTPDevice.objects.filter(user=personas.secretary_a, confirmed=True).exists()


@ADMINS_NEED_2FA
def test_org_admin_without_device_reaches_only_enrolment_when_policy_requires_it(personas):
    client = Client()
    sign_in(client, "county_admin")
    for name in ("home", "orgs:tree", "members:list", "accounts:password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url == reverse("accounts:totp"), name
    assert client.get(reverse("accounts:totp")).status_code == 200
    device = TOTPDevice.objects.get(user=personas.county_admin)
    assert client.post(reverse("accounts:totp"), {"token": code_for(device)}).status_code == 302
    assert signed_in(client)


@ADMINS_NEED_2FA
def test_secretary_signs_in_without_device_when_policy_requires_org_admins_only(personas):
    client = Client()
    sign_in(client, "secretary_a")
    assert signed_in(client)


@ADMINS_NEED_2FA
def test_org_admin_without_device_gets_no_api_token_when_policy_requires_it(personas):
    response = Client().post(
        f"{API}/auth/token",
        json.dumps({"username": "county_admin", "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert "两步验证" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def token_request(client, otp=None):
    body = {"username": "secretary_a", "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return client.post(f"{API}/auth/token", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("otp", [None, "", "wrong"])
def test_token_refused_and_counted_when_otp_is_missing_or_wrong(personas, otp):
    from axes.models import AccessAttempt

    device = device_for(personas.secretary_a)
    response = token_request(Client(), wrong_code_for(device) if otp == "wrong" else otp)
    assert response.status_code == 401
    assert "otp" in response.json()["detail"]
    assert AccessAttempt.objects.get(username="secretary_a").failures_since_start == 1
    assert not ApiToken.objects.exists()


def test_token_issued_with_the_right_otp(personas):
    device = device_for(personas.secretary_a)
    response = token_request(Client(), code_for(device))
    assert response.status_code == 200
    assert response.json()["token"]


def test_token_refused_with_the_right_otp_when_wrong_codes_locked_the_account(personas):
    device = device_for(personas.secretary_a)
    client = Client()
    for _ in range(5):
        token_request(client, wrong_code_for(device))
    response = token_request(client, code_for(device))
    assert response.status_code == 401
    assert "锁定" in response.json()["detail"]


def test_token_schema_documents_the_otp_field(personas):
    schema = Client().get(f"{API}/openapi.json").json()
    body = schema["paths"]["/api/v1/auth/token"]["post"]["requestBody"]["content"]["application/json"]
    assert "otp" in body["schema"]["properties"]
    assert {"400", "401", "422"} <= set(schema["paths"]["/api/v1/auth/token"]["post"]["responses"])
