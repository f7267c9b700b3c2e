"""Issue 8, item 16: the org picker — an org chosen by name, pinyin or initials from a scoped search box, for
moving an org (orgs) and for the destination of a transfer letter (members); the forms still receive the
chosen org's code."""

import re

import pytest
from django.urls import reverse

from grassroots.core import pinyin
from grassroots.core.scoping import unscoped
from grassroots.members.models import Transfer
from grassroots.orgs import services
from grassroots.orgs.models import Org
from tests.factories import SYSTEM, make_org


def codes(html: str) -> list[str]:
    """The org codes the picker offers, in order (each a radio button valued by code)."""
    return re.findall(r'type="radio" name="[a-z_]+" value="([^"]+)"', html)


def test_org_pinyin_keys_skip_the_leading_zhonggong():
    assert pinyin.org_keys("中共测试局第一支部委员会") == ("ceshijudiyizhibuweiyuanhui", "csjdyzbwyh")
    assert pinyin.org_keys("第一党小组") == ("diyidangxiaozu", "dydxz")
    assert pinyin.org_keys("中共") == ("zhonggong", "zg")


def test_org_keys_are_stored_on_create_and_follow_a_rename(tree):
    with unscoped():
        a = Org.objects.unscoped_all().get(code="A")
    assert (a.name_pinyin, a.name_initials) == ("ceshijudiyizhibuweiyuanhui", "csjdyzbwyh")
    services.org_update(scope=SYSTEM, actor=None, org=a, name="中共样板支部委员会")
    with unscoped():
        a = Org.objects.unscoped_all().get(code="A")
    assert (a.name_pinyin, a.name_initials) == ("yangbanzhibuweiyuanhui", "ybzbwyh")


@pytest.mark.parametrize("q", ["测试局", "ceshiju", "csj", "CSJ", "G1"])
def test_move_picker_finds_destinations_by_name_pinyin_initials_or_code(client, personas, tree, q):
    client.force_login(personas.county_admin)
    html = client.get(reverse("orgs:move_parents", args=[tree.b.code]), {"picker_q": q}).content.decode()
    found = codes(html)
    assert "G1" in found
    assert "B" not in found  # the org itself (and its subtree) cannot be its own parent
    assert "A1" not in found  # a party group holds no orgs


def test_move_picker_offers_only_orgs_where_the_caller_is_org_admin(client, personas, tree):
    make_org(None, "X", "中共测试邻县委员会", kind="committee")  # outside county_admin's scope
    client.force_login(personas.county_admin)
    html = client.get(reverse("orgs:move_parents", args=[tree.b.code]), {"picker_q": "csx"}).content.decode()
    assert codes(html) == ["C"]
    assert "邻县" not in html


def test_move_picker_refused_to_a_caller_who_may_not_move_the_org(client, personas, tree):
    client.force_login(personas.secretary_a)
    response = client.get(reverse("orgs:move_parents", args=[tree.a.code]), {"picker_q": "csj"})
    assert response.status_code == 403
    response = client.get(reverse("orgs:move_parents", args=[tree.b.code]), {"picker_q": "csj"})
    assert response.status_code == 404


def test_move_form_shows_the_picker_and_moves_under_the_org_chosen_in_it(client, personas, tree):
    client.force_login(personas.county_admin)
    page = client.get(reverse("orgs:move", args=[tree.b.code])).content.decode()
    assert f'hx-get="{reverse("orgs:move_parents", args=[tree.b.code])}"' in page
    picked = codes(
        client.get(reverse("orgs:move_parents", args=[tree.b.code]), {"picker_q": "测试县"}).content.decode()
    )
    assert picked == ["C"]
    response = client.post(reverse("orgs:move", args=[tree.b.code]), {"parent_code": picked[0]})
    assert response.status_code == 302
    with unscoped():
        assert Org.objects.unscoped_all().get(code="B").parent_path == tree.county.path


def test_picker_field_name_is_sanitized(client, personas, tree):
    client.force_login(personas.county_admin)
    html = client.get(
        reverse("orgs:move_parents", args=[tree.b.code]), {"picker_q": "csj", "field": '"><script>'}
    ).content.decode()
    assert "<script>" not in html
    assert 'name="parent_code"' in html


def test_transfer_picker_finds_orgs_outside_the_callers_scope_by_pinyin(client, personas, tree):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfer_destinations"), {"picker_q": "csjde"}).content.decode()
    assert codes(html) == ["B"]
    assert tree.b.name in html


def test_transfer_picker_shows_only_name_kind_and_code(client, personas, tree):
    services.org_update(scope=SYSTEM, actor=None, org=tree.b, phone="010-12345678", contact_name="赵联系")
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:transfer_destinations"), {"picker_q": "第二支部"}).content.decode()
    assert codes(html) == ["B"]
    assert "010-12345678" not in html and "赵联系" not in html
    assert reverse("orgs:detail", args=["B"]) not in html


def test_transfer_picker_leaves_out_groups_and_ended_orgs(client, personas, tree):
    ended = make_org(tree.g1, "E1", "中共测试局已撤销支部委员会", kind="branch")
    services.org_end(
        scope=SYSTEM, actor=None, org=ended, ended_on=ended.founded_on or tree.a.created_at.date()
    )
    client.force_login(personas.secretary_b)
    html = client.get(reverse("members:transfer_destinations"), {"picker_q": "csj"}).content.decode()
    assert "A" in codes(html)
    assert "E1" not in codes(html) and "A1" not in codes(html)


def test_transfer_picker_empty_for_callers_who_issue_no_letters(client, personas, tree):
    client.force_login(personas.member_b)
    html = client.get(reverse("members:transfer_destinations"), {"picker_q": "csj"}).content.decode()
    assert codes(html) == []


def test_letter_form_issues_to_the_org_chosen_in_the_picker(client, personas, tree):
    client.force_login(personas.secretary_a)
    page = client.get(reverse("members:transfer", args=[tree.zhang.pk])).content.decode()
    assert f'hx-get="{reverse("members:transfer_destinations")}"' in page
    picked = codes(
        client.get(reverse("members:transfer_destinations"), {"picker_q": "csjde"}).content.decode()
    )
    today = tree.a.created_at.date().isoformat()
    response = client.post(
        reverse("members:transfer", args=[tree.zhang.pk]),
        {"to_org_code": picked[0], "letter_serial": "P-1", "issued_on": today, "dues_paid_to": today},
    )
    assert response.status_code == 302, response.content.decode()
    with unscoped():
        assert Transfer.objects.unscoped_all().get(letter_serial="P-1").to_org_id == tree.b.pk
