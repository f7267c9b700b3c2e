"""Named personas on a small tree:

county (committee C)                       county_admin (org_admin), county_viewer (viewer)
  └─ general branch G1
       ├─ branch A  (group A1)             secretary_a (secretary), member 张三 (user member_a)
       └─ branch B                          member_b (member), secretary_b (secretary)
"""

from __future__ import annotations

from types import SimpleNamespace

from django.test import Client

from grassroots.accounts.models import User
from grassroots.core.scoping import unscoped
from tests.factories import make_member, make_org, make_user

PASSWORD = "Grassroots-Test-2026"


def build_tree() -> SimpleNamespace:
    """The county, its general branch, branches A (with group A1) and B, and three members."""
    from grassroots.orgs.models import Org

    county = make_org(None, "C", "中共测试县委员会", kind="committee", unit_kind="government")
    g1 = make_org(county, "G1", "中共测试局总支部委员会", kind="general_branch", unit_kind="government")
    a = make_org(g1, "A", "中共测试局第一支部委员会", kind="branch", unit_kind="government")
    a1 = make_org(a, "A1", "第一党小组", kind="group")
    b = make_org(g1, "B", "中共测试局第二支部委员会", kind="branch", unit_kind="government")
    zhang = make_member(a, "张三", party_group=a1)
    li = make_member(a, "李四", sex="female")
    wang = make_member(b, "王五")
    with unscoped():
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


def build_personas(tree) -> SimpleNamespace:
    """The users of the tree, each with one role grant, all with PASSWORD."""
    return SimpleNamespace(
        county_admin=make_user("county_admin", tree.county, "org_admin", password=PASSWORD),
        county_viewer=make_user("county_viewer", tree.county, "viewer", password=PASSWORD),
        secretary_a=make_user("secretary_a", tree.a, "secretary", password=PASSWORD),
        secretary_b=make_user("secretary_b", tree.b, "secretary", password=PASSWORD),
        member_b=make_user("member_b", tree.b, "member", password=PASSWORD),
    )


def client_for(username: str) -> Client:
    """A web client signed in as `username` (a session, without the login form)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
