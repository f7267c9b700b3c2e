"""Admin-forced password change: an org admin (within their scope) flags a user, whose API tokens are all
revoked; the flagged user reaches only the password change page after signing in and gets no API token
until they have changed it."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from grassroots.accounts import services
from grassroots.accounts.models import ApiToken, User
from grassroots.accounts.selectors import scope_for_user
from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound
from grassroots.core.scoping import unscoped
from tests.factories import make_user
from tests.support.api import API, ApiClient, api_client_for, token_for
from tests.support.personas import PASSWORD, client_for

NEW_PASSWORD = "Another-Test-Password-9"


def force(admin, target):
    return services.password_reset_force(scope=scope_for_user(admin), actor=admin, user_id=target.pk)


def flagged(user) -> bool:
    return User.objects.get(pk=user.pk).must_change_password


def test_org_admin_forces_password_change_with_audit_event(personas):
    force(personas.county_admin, personas.secretary_b)
    assert flagged(personas.secretary_b)
    with unscoped():
        event = AuditEvent.objects.unscoped_all().get(action="user.password_reset_force")
    assert event.actor_id == personas.county_admin.pk
    assert event.target_id == personas.secretary_b.pk


def test_forced_reset_revokes_every_token_of_the_user(personas):
    first, second = token_for("secretary_b"), token_for("secretary_b")
    other = api_client_for("secretary_a")
    force(personas.county_admin, personas.secretary_b)
    assert not ApiToken.objects.filter(user=personas.secretary_b, revoked_at=None).exists()
    for key in (first, second):
        assert ApiClient(key).get("/orgs").status_code == 401
    assert other.get("/orgs").status_code == 200


def test_forced_reset_refused_when_user_is_outside_the_admins_scope(personas, tree):
    admin_a = make_user("admin_a", tree.a, "org_admin")
    with pytest.raises(NotFound):
        force(admin_a, personas.secretary_b)
    assert not flagged(personas.secretary_b)


def test_forced_reset_refused_when_caller_is_not_org_admin(personas):
    with pytest.raises(PermissionDenied):
        force(personas.county_viewer, personas.secretary_b)
    assert not flagged(personas.secretary_b)


def test_flagged_user_reaches_only_password_change_after_sign_in(personas):
    force(personas.county_admin, personas.secretary_b)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "secretary_b", "password": PASSWORD})
    for name in ("home", "orgs:tree", "accounts:account"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url == reverse("accounts:password_change"), name
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert 'id="password-forced"' in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not flagged(personas.secretary_b)
    assert client.get(reverse("home")).status_code == 200


def test_flagged_user_gets_no_api_token_until_password_changed(personas):
    force(personas.county_admin, personas.secretary_b)
    body = json.dumps({"username": "secretary_b", "password": PASSWORD})
    response = Client().post(f"{API}/auth/token", body, content_type="application/json")
    assert response.status_code == 401
    assert "修改密码" in response.json()["detail"]
    services.password_change(
        actor=User.objects.get(pk=personas.secretary_b.pk), old_password=PASSWORD, new_password=NEW_PASSWORD
    )
    assert token_for("secretary_b", NEW_PASSWORD)


def test_api_forces_password_change_as_org_admin(personas):
    response = api_client_for("county_admin").post(f"/auth/users/{personas.secretary_b.pk}/password-reset")
    assert response.status_code == 204
    assert flagged(personas.secretary_b)


@pytest.mark.parametrize(("username", "status"), [("secretary_a", 404), ("secretary_b", 403)])
def test_api_refuses_forced_reset_when_caller_may_not(personas, username, status):
    response = api_client_for(username).post(f"/auth/users/{personas.secretary_b.pk}/password-reset")
    assert response.status_code == status
    assert not flagged(personas.secretary_b)


def test_users_page_lists_the_admins_users_with_the_reset_button(personas):
    page = client_for("county_admin").get(reverse("accounts:users")).content.decode()
    for user in (personas.secretary_a, personas.secretary_b, personas.member_b):
        assert reverse("accounts:user_password_reset", args=[user.pk]) in page


def test_users_page_missing_when_caller_is_not_org_admin(personas):
    assert client_for("secretary_a").get(reverse("accounts:users")).status_code == 404


def test_reset_button_asks_confirmation_then_flags_the_user(personas):
    client = client_for("county_admin")
    url = reverse("accounts:user_password_reset", args=[personas.secretary_b.pk])
    assert client.get(url).status_code == 200
    assert not flagged(personas.secretary_b)
    response = client.post(url)
    assert response.status_code == 302
    assert flagged(personas.secretary_b)


def test_superuser_forces_password_change_on_any_user(personas):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    response = client.post(reverse("accounts:user_password_reset", args=[personas.secretary_b.pk]))
    assert response.status_code == 302
    assert flagged(personas.secretary_b)
