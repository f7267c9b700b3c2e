import pytest
from django.urls import reverse

from tests.support.personas import PASSWORD


def test_login_page_renders_in_chinese(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_redirects_home_when_password_is_right(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_lockout_page_shown_when_too_many_failures(client, personas):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "secretary_a", "password": "wrong-password"})
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，账户已锁定30分钟" in response.content.decode()


def test_logout_requires_post_and_signs_out(client, personas):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", ["home", "orgs:tree", "members:list"])
def test_anonymous_is_sent_to_login_when_opening_pages(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
