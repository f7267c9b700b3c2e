"""The menu registry (core.menu): the apps register their entries, each caller sees those they may use, in
order; core itself imports no app; with nothing registered there is no menu."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from grassroots.accounts import services as account_services
from grassroots.core import menu
from grassroots.core.roles import Role
from grassroots.core.scoping import Grant, Scope
from tests.factories import SYSTEM

EVERY_ENTRY = ["home", "orgs", "members", "recruitment", "meetings", "transfers"]


@pytest.fixture
def registry(monkeypatch):
    """An empty menu for the test; the apps' entries come back afterwards."""
    monkeypatch.setattr(menu, "_REGISTRY", {})
    return menu


def signed_in(scope: Scope):
    return SimpleNamespace(user=SimpleNamespace(is_authenticated=True), scope=scope, path="/")


def _absolute(node: ast.ImportFrom) -> str:
    """The module an import from core/menu.py names, relative ones resolved from grassroots.core."""
    if not node.level:
        return node.module or ""
    package = ["grassroots", "core"][: 3 - node.level]
    return ".".join([*package, *([node.module] if node.module else [])])


def test_menu_module_imports_no_app_when_read():
    tree = ast.parse(Path(menu.__file__).read_text(encoding="utf-8"))
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imported += [_absolute(node) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert "grassroots.core.scoping" in imported  # the scan sees the imports, relative ones too
    apps = [m for m in imported if m.startswith("grassroots") and not m.startswith("grassroots.core")]
    assert apps == []


def test_nobody_sees_a_menu_when_no_app_registered_an_entry(registry):
    assert registry.registrations() == []
    assert registry.entries_for(signed_in(SYSTEM)) == []


def test_an_anonymous_caller_gets_no_entries_when_apps_registered_them():
    request = SimpleNamespace(user=AnonymousUser(), scope=Scope.anonymous(), path="/")
    assert menu.registrations()
    assert menu.entries_for(request) == []


def test_entries_come_in_their_order_with_names_or_callables_resolved_when_visible(registry):
    registry.register("b", label="乙", url=lambda request: f"/b{request.path}", order=20)
    registry.register("a", label="甲", url="orgs:tree", order=10)
    registry.register("hidden", label="丙", url="orgs:tree", order=15, visible=lambda scope: False)
    registry.register("b", label="乙2", url=lambda request: "/b2/", order=5)  # the same key replaces it
    got = registry.entries_for(signed_in(SYSTEM))
    assert [(e.key, e.label, e.url) for e in got] == [("b", "乙2", "/b2/"), ("a", "甲", reverse("orgs:tree"))]


@pytest.mark.parametrize(
    ("roles", "visible"),
    [
        ((), False),
        ((Role.MEMBER,), False),
        ((Role.MEMBER, Role.VIEWER), True),
        ((Role.OFFICER,), True),
    ],
)
def test_holding_shows_an_entry_to_callers_with_one_of_the_roles_anywhere_in_their_scope(roles, visible):
    scope = Scope(
        user_id=1, grants=tuple(Grant(org_id=i, path=f"000{i}", role=r) for i, r in enumerate(roles))
    )
    assert menu.holding({Role.VIEWER, Role.OFFICER})(scope) is visible
    assert menu.holding({Role.VIEWER})(SYSTEM) is True


def _nav(html: str) -> list[str]:
    """The keys of the navbar entries, in the order shown."""
    return re.findall(r'class="nav-link" href="[^"]*" id="nav-([a-z-]+)"', html)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # Every role reads orgs; the register (党员) and dossiers (发展党员) are for those who read members,
        # transfers for those who edit them, 组织生活 (meetings) for those who read members — the member role
        # gets none of them (its own record is 我的档案, in the user menu; its own meetings 我的会议).
        (Role.ORG_ADMIN, EVERY_ENTRY),
        (Role.SECRETARY, EVERY_ENTRY),
        (Role.OFFICER, EVERY_ENTRY),
        (Role.VIEWER, ["home", "orgs", "members", "recruitment", "meetings"]),
        (Role.MEMBER, ["home", "orgs"]),
    ],
)
def test_each_role_sees_exactly_the_menu_entries_it_may_use_when_signed_in(client, tree, role, expected):
    user = account_services.user_add(
        scope=SYSTEM,
        actor=None,
        username=f"u_{role}",
        password="x",
        org_code=tree.a.code,
        role=role,
        check_password=False,
    )
    client.force_login(user)
    assert _nav(client.get(reverse("orgs:tree")).content.decode()) == expected


def test_a_user_without_grants_sees_only_the_entries_for_everyone_when_signed_in(client, tree):
    client.force_login(get_user_model().objects.create_user("nobody", password="x"))
    assert _nav(client.get(reverse("orgs:tree")).content.decode()) == ["home"]


def test_the_dossier_entry_leads_to_a_page_the_caller_can_read_when_shown(client, personas, tree):
    """发展党员 is offered only where the board has something to show: the member role got an empty board."""
    client.force_login(personas.member_b)
    assert "nav-recruitment" not in client.get(reverse("orgs:tree")).content.decode()
    client.force_login(personas.county_viewer)
    html = client.get(reverse("orgs:tree")).content.decode()
    assert f'href="{reverse("recruitment:board")}" id="nav-recruitment"' in html


def test_an_anonymous_visitor_sees_no_menu_when_signing_in(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert _nav(html) == []
