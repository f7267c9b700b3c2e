"""Named personas on a small tree:

county (committee C)                       county_admin (org_admin), county_viewer (viewer)
  └─ general branch G1
       ├─ branch A  (group A1)             secretary_a (secretary), member 张三 (user member_a)
       └─ branch B                          member_b (member), secretary_b (secretary)
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from grassroots.accounts import services as account_services
from grassroots.accounts.selectors import scope_for_user
from grassroots.core.scoping import Scope, unscoped
from tests.factories import SYSTEM, make_member, make_org

PASSWORD = "Grassroots-Test-2026"


@pytest.fixture
def system_scope() -> Scope:
    return SYSTEM


@pytest.fixture
def tree(db):
    county = make_org(None, "C", "中共测试县委员会", kind="committee", unit_kind="government")
    g1 = make_org(county, "G1", "中共测试局总支部委员会", kind="general_branch", unit_kind="government")
    a = make_org(g1, "A", "中共测试局第一支部委员会", kind="branch", unit_kind="government")
    a1 = make_org(a, "A1", "第一党小组", kind="group")
    b = make_org(g1, "B", "中共测试局第二支部委员会", kind="branch", unit_kind="government")
    zhang = make_member(a, "张三", party_group=a1)
    li = make_member(a, "李四", sex="female")
    wang = make_member(b, "王五")
    with unscoped():
        from grassroots.orgs.models import Org

        fresh = {o.code: o for o in Org.objects.unscoped_all()}
    return SimpleNamespace(
        county=fresh["C"],
        g1=fresh["G1"],
        a=fresh["A"],
        a1=fresh["A1"],
        b=fresh["B"],
        zhang=zhang,
        li=li,
        wang=wang,
    )


def _user(username, org, role):
    return account_services.user_add(
        scope=SYSTEM, actor=None, username=username, password=PASSWORD, org_code=org.code, role=role
    )


@pytest.fixture
def personas(tree):
    users = SimpleNamespace(
        county_admin=_user("county_admin", tree.county, "org_admin"),
        county_viewer=_user("county_viewer", tree.county, "viewer"),
        secretary_a=_user("secretary_a", tree.a, "secretary"),
        secretary_b=_user("secretary_b", tree.b, "secretary"),
        member_b=_user("member_b", tree.b, "member"),
    )
    return users


@pytest.fixture
def scope_of():
    return scope_for_user


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in zh-Hans, the default UI language, whatever an earlier test switched to."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()
