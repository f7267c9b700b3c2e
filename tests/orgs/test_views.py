from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.orgs.models import Org


def test_tree_shows_top_level_orgs_of_scope(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert tree.county.name in response.content.decode()


def test_tree_children_fragment_lists_next_level_with_counts(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("orgs:children", args=[tree.g1.code]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert tree.a.name in html and tree.b.name in html
    assert "<html" not in html


def test_org_search_returns_matching_orgs_in_scope_only(client, personas, tree):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("orgs:search"), {"q": "支部"}).content.decode()
    assert tree.a.name in html
    assert tree.b.name not in html


def test_org_page_shows_warnings_counts_children_and_breadcrumbs(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.get(reverse("orgs:detail", args=[tree.g1.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert tree.county.name[:4] in html  # breadcrumb
    assert f"{reverse('members:list')}?org={tree.a.code}&status=full" in html
    assert "ORG-" in html


def test_org_page_404_when_org_is_outside_scope(client, personas, tree):
    client.force_login(personas.secretary_a)
    assert client.get(reverse("orgs:detail", args=[tree.b.code])).status_code == 404
    assert client.get(reverse("orgs:detail", args=["NOPE"])).status_code == 404
    assert client.get(reverse("orgs:history", args=[tree.b.code])).status_code == 404


def test_org_edit_saves_and_records_history(client, personas, tree):
    client.force_login(personas.secretary_a)
    url = reverse("orgs:edit", args=[tree.a.code])
    assert client.get(url).status_code == 200
    data = {
        "name": tree.a.name,
        "kind": "branch",
        "unit_kind": "government",
        "unit_relation": "legal_entity",
        "phone": "010-12345678",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    history = client.get(reverse("orgs:history", args=[tree.a.code])).content.decode()
    assert "修改组织信息" in history and "010-12345678" in history


def test_org_edit_forbidden_for_viewer(client, personas, tree):
    client.force_login(personas.county_viewer)
    assert client.get(reverse("orgs:edit", args=[tree.a.code])).status_code == 403


def test_create_child_shows_rule_violation_next_to_kind(client, personas, tree):
    client.force_login(personas.county_admin)
    url = reverse("orgs:create_child", args=[tree.a.code])
    response = client.post(
        url,
        {
            "code": "A9",
            "name": "错误",
            "kind": "branch",
            "unit_kind": "other",
            "unit_relation": "legal_entity",
        },
    )
    assert response.status_code == 200
    assert "ORG-KIND-NESTING" in response.content.decode()
    with unscoped():
        assert not Org.objects.unscoped_all().filter(code="A9").exists()


def test_create_child_creates_group_under_branch(client, personas, tree):
    client.force_login(personas.county_admin)
    url = reverse("orgs:create_child", args=[tree.a.code])
    response = client.post(
        url,
        {
            "code": "A2",
            "name": "第二党小组",
            "kind": "group",
            "unit_kind": "other",
            "unit_relation": "legal_entity",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("orgs:detail", args=["A2"])


def test_move_org_under_parent_chosen_by_code(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.post(reverse("orgs:move", args=[tree.b.code]), {"parent_code": tree.county.code})
    assert response.status_code == 302
    with unscoped():
        moved = Org.objects.unscoped_all().get(code="B")
    assert moved.depth == 2


def test_move_org_reports_unknown_parent_code(client, personas, tree):
    client.force_login(personas.county_admin)
    response = client.post(reverse("orgs:move", args=[tree.b.code]), {"parent_code": "ZZZ"})
    assert response.status_code == 200
    assert "找不到该组织代码" in response.content.decode()


def _all_paths():
    with unscoped():
        return dict(Org.objects.unscoped_all().values_list("code", "path"))


def test_duplicate_org_code_refused_in_chinese_and_nothing_created_when_creating_a_child(
    client, personas, tree
):
    client.force_login(personas.county_admin)
    before = _all_paths()
    response = client.post(
        reverse("orgs:create_child", args=[tree.g1.code]),
        {
            "code": "B",
            "name": "重复代码支部",
            "kind": "branch",
            "unit_kind": "other",
            "unit_relation": "legal_entity",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "组织代码“B”已被使用" in body and "ORG-CODE-UNIQUE" in body
    assert _all_paths() == before


def test_move_into_own_subtree_refused_in_chinese_and_tree_unchanged(client, personas, tree):
    client.force_login(personas.county_admin)
    before = _all_paths()
    response = client.post(reverse("orgs:move", args=[tree.g1.code]), {"parent_code": tree.a.code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "不能把党组织移动到它自身或其下级组织之下" in body and "ORG-MOVE-CYCLE" in body
    assert _all_paths() == before
