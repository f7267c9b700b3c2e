"""The scoping sweep (acceptance point): for every URL and API operation, a user of branch A gets 404 for
branch B's orgs, members, transfers, recruitment dossiers and documents, a user without any grant gets 404, and an anonymous user gets the
login page (UI) or 401 (API). The in-scope check the other way keeps the sweep from passing vacuously.

Both lists are enumerated, not written down (tests.support.endpoints): API operations come from the OpenAPI
schema, UI URLs from the Django URL resolver. Path parameters are filled by their name; a new parameter name
fails the sweep until it is taught there, so no new URL escapes it. The world (tests.support.world) is built
once for the module; each case runs in a savepoint rolled back after it.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client

from grassroots.accounts.models import User
from tests.support.api import token_for
from tests.support.endpoints import (
    API_OPERATIONS,
    MEMBER_SIGN_IN_NAMES,
    MEMBER_SIGN_IN_OPERATIONS,
    PUBLIC_OPERATIONS,
    SCOPED_API_OPERATIONS,
    UI_PUBLIC_NAMES,
    UI_SWEPT_OBJECT_URLS,
    UI_SWEPT_URLS,
    UI_URLS,
    body_of,
    build_ui_url,
    call_api,
    fetch,
    substitute,
    ui_path,
)
from tests.support.personas import PASSWORD
from tests.support.world import api_token, b_values, db_state, leaks


def test_every_api_operation_needs_a_token_when_not_listed_as_public():
    public = {(op.method, op.path) for op in API_OPERATIONS if op.is_public}
    assert public == PUBLIC_OPERATIONS


def test_sweep_sees_the_api_when_schema_is_enumerated():
    seen = {str(op) for op in API_OPERATIONS}
    assert {"GET /api/v1/orgs/{code}", "GET /api/v1/members/{member_id}", "GET /api/v1/members"} <= seen
    assert {
        "GET /api/v1/documents/{document_id}/content",
        "POST /api/v1/recruitment/applicants/{applicant_id}/documents",
        "GET /api/v1/meetings/{meeting_id}/documents",
        "POST /api/v1/meetings/{meeting_id}/documents",
    } <= seen
    assert len(SCOPED_API_OPERATIONS) >= 14


@pytest.mark.parametrize("op", [op for op in API_OPERATIONS if not op.is_public], ids=str)
def test_401_when_anonymous_calls_api_operation(world, op):
    before = db_state()
    for url, response in call_api(op, b_values(world), token=None):
        assert response.status_code == 401, f"{op} → {url}: {response.status_code}"
    assert db_state() == before


@pytest.mark.parametrize("op", SCOPED_API_OPERATIONS, ids=str)
@pytest.mark.parametrize("username", ["secretary_a", "no_grant"])
def test_404_or_nothing_of_branch_b_when_outsider_calls_api_operation(world, op, username):
    token = api_token(world, username)
    before = db_state()
    for url, response in call_api(op, b_values(world), token):
        if op.path_params or op.method != "GET":
            # The object (in the path or the body) is branch B's: it must look missing.
            assert response.status_code == 404, f"{op} → {url} as {username}: {response.status_code}"
            assert response.json() == {"detail": "未找到"}
        else:
            assert response.status_code in (200, 404), f"{op} → {url} as {username}: {response.status_code}"
        assert not leaks(world, body_of(response)), f"{op} → {url} as {username} shows branch B"
    assert db_state() == before


@pytest.mark.parametrize("op", SCOPED_API_OPERATIONS, ids=str)
def test_in_scope_user_reaches_branch_b_when_calling_api_operation(world, op):
    """The sweep above must not pass because an operation answers 404 to everyone."""
    for username in ("secretary_b", "county_admin"):
        token = api_token(world, username)
        with transaction.atomic():
            for url, response in call_api(op, b_values(world), token):
                assert response.status_code not in (401, 404), f"{op} → {url} as {username}"
                assert response.status_code < 500
                if op.method == "GET":
                    assert response.status_code == 200, f"{op} → {url} as {username}: {response.content}"
                    assert leaks(world, body_of(response)), f"{op} → {url} as {username} shows none of B"
            transaction.set_rollback(True)


def login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


def test_sweep_sees_the_ui_when_resolver_is_walked():
    names = {u.name for u in UI_URLS}
    assert "home" in names
    assert all(not n.startswith("accounts:log") for n in names)


@pytest.mark.parametrize("url", UI_SWEPT_URLS, ids=str)
def test_login_page_when_anonymous_opens_ui_url(world, url):
    path = build_ui_url(url, b_values(world))
    response = fetch(Client(), path)
    assert response.status_code == 302, f"{path}: {response.status_code}"
    assert response["Location"].startswith(login_url()), f"{path} → {response['Location']}"


@pytest.mark.parametrize("url", UI_SWEPT_URLS, ids=str)
@pytest.mark.parametrize("username", ["secretary_a", "no_grant"])
def test_404_or_nothing_of_branch_b_when_outsider_opens_ui_url(world, url, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    before = db_state()
    path = ui_path(url, b_values(world))
    response = fetch(client, path)
    if url.params:
        assert response.status_code == 404, f"{path} as {username}: {response.status_code}"
    else:
        assert response.status_code in (200, 302, 404), f"{path} as {username}: {response.status_code}"
    assert not leaks(world, body_of(response)), f"{path} as {username} shows branch B"
    assert db_state() == before


@pytest.mark.parametrize("url", UI_SWEPT_OBJECT_URLS, ids=str)
def test_in_scope_user_reaches_branch_b_when_opening_ui_url(world, url):
    """The sweep above must not pass because a page answers 404 to everyone."""
    for username in ("secretary_b", "county_admin"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        path = build_ui_url(url, b_values(world))
        with transaction.atomic():
            response = fetch(client, path)
            transaction.set_rollback(True)
        assert response.status_code not in (302, 404), f"{path} as {username}: {response.status_code}"
        assert response.status_code < 500
        if url.name.endswith(":detail"):
            assert response.status_code == 200, f"{path} as {username}: {response.status_code}"


def test_member_of_branch_a_sees_nothing_of_branch_b_when_opening_its_meeting_sign_in(world):
    """The sign-in pages reach any meeting for an account with a member record (endpoints.MEMBER_SIGN_IN_*):
    a member of branch A gets the page of B's meeting without B's details, and a refused sign-in."""
    from grassroots.members import services as member_services
    from tests.factories import SYSTEM, make_user

    user = make_user("zhang_sweep", world.tree.a, "member", password=PASSWORD)
    member_services.member_link_user(scope=SYSTEM, actor=None, member=world.tree.zhang, user=user)
    client = Client()
    client.force_login(user)
    values = b_values(world)
    ui = [u for u in UI_URLS if u.name in MEMBER_SIGN_IN_NAMES]
    assert {u.name for u in ui} == MEMBER_SIGN_IN_NAMES
    token = token_for("zhang_sweep")
    before = db_state()
    for url in ui:
        response = client.get(build_ui_url(url, values) + "?c=123456")
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert not leaks(world, body_of(response)), f"{url} shows branch B"
        response = client.post(build_ui_url(url, values), {"code": "123456", "method": "qr"})
        assert response.status_code == 422 and not leaks(world, body_of(response))
    ops = [op for op in API_OPERATIONS if (op.method, op.path) in MEMBER_SIGN_IN_OPERATIONS]
    assert {(op.method, op.path) for op in ops} == MEMBER_SIGN_IN_OPERATIONS
    for op in ops:
        for url, response in call_api(op, values, token):
            assert response.status_code == 422, f"{op} → {url}: {response.status_code}"
            assert not leaks(world, body_of(response))
    assert db_state() == before


def test_only_token_urls_are_public_when_the_sweep_skips_them():
    """What the sweep leaves out answers without a session by design; nothing else may join the list."""
    assert {"meetings:ical"} == UI_PUBLIC_NAMES
    assert {u.name for u in UI_URLS} - {u.name for u in UI_SWEPT_URLS} == UI_PUBLIC_NAMES


def test_sweep_fails_loudly_when_a_path_parameter_is_unknown():
    with pytest.raises(pytest.fail.Exception, match="meeting_id"):
        substitute("meeting_id", {"code": "B"}, "meetings:detail")
    with pytest.raises(pytest.fail.Exception, match="'pk'"):
        substitute("pk", {"member_id": "1"}, "meetings:detail", namespace="meetings")
