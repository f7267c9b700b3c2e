"""Issue 8, item 17: every user changes their own password from the user menu, with the project's password
validators; the change is audited and the session stays signed in."""

from django.urls import reverse

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from tests.support.personas import PASSWORD

NEW = "Xin-Mima-2026!"


def change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def authenticate(*, username, password):
    """The stored password checked directly (the login backend, django-axes, wants a request)."""
    user = User.objects.get(username=username)
    return user if user.check_password(password) else None


def password_events():
    with unscoped():
        return list(AuditEvent.objects.unscoped_all().filter(action="user.password_change"))


def test_every_user_finds_password_change_in_the_user_menu(client, personas):
    for user in (personas.member_b, personas.county_viewer, personas.secretary_a):
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert f'href="{reverse("accounts:password_change")}" id="nav-password"' in html


def test_user_changes_their_password_and_stays_signed_in_and_it_is_audited(client, personas):
    client.force_login(personas.member_b)
    response = change(client)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200  # the session survived the change
    assert authenticate(username="member_b", password=NEW) is not None
    assert authenticate(username="member_b", password=PASSWORD) is None
    [event] = password_events()
    assert (event.actor_id, event.target_id) == (personas.member_b.pk, personas.member_b.pk)
    assert NEW not in str(event.changes) and PASSWORD not in str(event.changes)


def test_password_change_refuses_a_wrong_current_password_and_keeps_the_old(client, personas):
    client.force_login(personas.member_b)
    response = change(client, old="not-my-password")
    assert response.status_code == 200
    assert 'id="field-old_password"' in response.content.decode()
    assert authenticate(username="member_b", password=PASSWORD) is not None
    assert password_events() == []


def test_password_change_applies_the_project_password_validators(client, personas):
    client.force_login(personas.member_b)
    for weak in ("abc123", "password123"):  # too short; too common
        response = change(client, new=weak)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    assert authenticate(username="member_b", password=PASSWORD) is not None
    assert password_events() == []


def test_password_change_refuses_two_different_new_passwords(client, personas):
    client.force_login(personas.member_b)
    assert change(client, again=NEW + "x").status_code == 200
    assert authenticate(username="member_b", password=PASSWORD) is not None


def test_password_change_needs_a_signed_in_user(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_password_change_page_never_echoes_a_password(client, personas):
    client.force_login(personas.member_b)
    html = change(client, new="abc123").content.decode()
    assert PASSWORD not in html and "abc123" not in html
