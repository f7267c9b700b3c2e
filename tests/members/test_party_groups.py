"""Party groups show their members (issue 8, item 11): a member belongs to a branch and is assigned to one of
its party groups (Member.party_group); the group's page, its counts (org page, tree, `GET /orgs/{code}`) and
the member list of the group (`?org=<group>` or `?group=<group>`, page and API) count those assigned to it."""

from __future__ import annotations

import re

from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.members import selectors
from grassroots.members.models import Member
from tests.factories import SYSTEM, make_member, make_org
from tests.support.personas import client_for


def names(body) -> list[str]:
    return sorted(m["name"] for m in body["items"])


def test_party_group_page_counts_its_members(api_as, tree):
    make_member(tree.a, "赵组员", party_group=tree.a1, status="probationary")
    body = api_as("secretary_a").get("/orgs/A1")
    assert body.status_code == 200
    counts = body.json()["member_counts"]
    assert (counts["active"], counts["full"], counts["probationary"]) == (2, 1, 1)
    page = client_for("secretary_a").get(reverse("orgs:detail", args=[tree.a1.code])).content.decode()
    on_page = re.search(r"<dt>在册党员</dt>\s*<dd><a href=\"([^\"]+)\">(\d+)</a>", page)
    assert on_page.group(2) == "2"
    # The count links to the group's members, and that list holds the same two.
    listed = client_for("secretary_a").get(on_page.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r'id="result-count">共 2 名党员', listed)
    assert "张三" in listed and "赵组员" in listed and "李四" not in listed


def test_branch_children_show_their_groups_members(tree, personas):
    a2 = make_org(tree.a, "A2", "第二党小组", kind="group")
    make_member(tree.a, "钱组员", party_group=a2)
    make_member(tree.a, "孙组员", party_group=a2)
    counts = selectors.child_member_counts(scope=SYSTEM, org=tree.a)
    assert counts == {tree.a1.path: {"full": 1}, a2.path: {"full": 2}}
    page = client_for("secretary_a").get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    row = re.search(r"第二党小组</a></td>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="count-link" href="[^"]+">(\d+)</a>', row) == ["2", "0", "2"]
    # The tree's next level under the branch shows the same numbers.
    children = client_for("secretary_a").get(reverse("orgs:children", args=[tree.a.code])).content.decode()
    assert "第二党小组" in children and "第一党小组" in children


def test_member_list_filtered_by_group_shows_its_members(api_as, tree):
    api = api_as("secretary_a")
    by_org = api.get("/members", org="A1")
    assert by_org.status_code == 200
    assert names(by_org.json()) == ["张三"] and by_org.json()["count"] == 1
    by_group = api.get("/members", org="A", group="A1").json()
    assert names(by_group) == ["张三"] and by_group["count"] == 1
    # Assigning 李四 to the group (through the API) puts her on the group's list; the record holds the group.
    li = api.patch(f"/members/{tree.li.pk}", {"party_group": "A1"})
    assert li.status_code == 200 and li.json()["party_group"] == "A1"
    with unscoped():
        assert Member.objects.unscoped_all().get(pk=tree.li.pk).party_group_id == tree.a1.pk
    assert names(api.get("/members", org="A1").json()) == ["张三", "李四"]
    assert names(api.get("/members", group="A1").json()) == ["张三", "李四"]
    assert api.get("/orgs/A1").json()["member_counts"]["active"] == 2
    # The page: the branch's list offers its groups, and the group narrows it.
    client = client_for("secretary_a")
    page = client.get(reverse("members:list"), {"org": "A"}).content.decode()
    assert 'name="group"' in page and "第一党小组" in page
    narrowed = client.get(reverse("members:list"), {"org": "A", "group": "A1"}).content.decode()
    assert re.search(r'id="result-count">共 2 名党员', narrowed)
