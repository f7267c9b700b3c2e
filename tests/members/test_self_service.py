"""Issue 8, item 17: a member (a user linked to a member record) updates their own phone and address — and
nothing else, and no one else's — through the API (`/me`) and the 我的档案 page; each change audited."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.members import services
from grassroots.members.models import Member
from tests.factories import SYSTEM


@pytest.fixture
def wang_is_member_b(tree, personas):
    """王五 (branch B) signs in as member_b."""
    services.member_link_user(scope=SYSTEM, actor=None, member=tree.wang, user=personas.member_b)
    return tree.wang


def stored(pk) -> Member:
    with unscoped():
        return Member.objects.unscoped_all().get(pk=pk)


def self_updates():
    with unscoped():
        return list(AuditEvent.objects.unscoped_all().filter(action="member.self_update"))


def test_member_updates_own_phone_and_address_through_the_api(api_as, wang_is_member_b):
    api = api_as("member_b")
    response = api.patch("/me", {"phone": "138 0013 8000", "address": "测试县幸福路 1 号"})
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["address"]) == ("138 0013 8000", "测试县幸福路 1 号")
    row = stored(wang_is_member_b.pk)
    assert (row.phone, row.address) == ("138 0013 8000", "测试县幸福路 1 号")
    [event] = self_updates()
    assert event.changes["phone"][1] == "138 0013 8000"
    assert event.target_id == wang_is_member_b.pk
    assert api.get("/me").json()["id"] == wang_is_member_b.pk


def test_me_patch_changes_only_the_fields_sent(api_as, wang_is_member_b):
    api = api_as("member_b")
    api.patch("/me", {"phone": "13800138000", "address": "旧地址"})
    assert api.patch("/me", {"address": "新地址"}).status_code == 200
    row = stored(wang_is_member_b.pk)
    assert (row.phone, row.address) == ("13800138000", "新地址")


@pytest.mark.parametrize(
    "field", [{"name": "王六"}, {"status": "suspended"}, {"org": "A"}, {"id_number": "x"}]
)
def test_me_refuses_any_other_field_with_422_and_changes_nothing(api_as, wang_is_member_b, field):
    before = stored(wang_is_member_b.pk)
    response = api_as("member_b").patch("/me", {"phone": "13800138000", **field})
    assert response.status_code == 422
    assert response.json()["rule_id"] == "API-VALIDATION"
    after = stored(wang_is_member_b.pk)
    assert (after.name, after.status, after.org_id, after.phone) == (
        before.name,
        before.status,
        before.org_id,
        before.phone,
    )
    assert self_updates() == []


def test_member_cannot_edit_another_member_or_their_own_other_fields(api_as, tree, wang_is_member_b):
    phone = stored(wang_is_member_b.pk).phone
    api = api_as("member_b")
    other = api.patch(f"/members/{tree.zhang.pk}", {"phone": "13900000000"})
    assert other.status_code == 404  # 张三 is in branch A, outside member_b's scope
    own = api.patch(f"/members/{wang_is_member_b.pk}", {"name": "王六", "phone": "13900000000"})
    assert own.status_code == 403  # the register's edit is for those who edit members
    assert stored(tree.zhang.pk).phone != "13900000000"
    assert (stored(wang_is_member_b.pk).name, stored(wang_is_member_b.pk).phone) == ("王五", phone)


def test_me_refuses_a_malformed_phone_with_its_rule_id(api_as, wang_is_member_b):
    phone = stored(wang_is_member_b.pk).phone
    response = api_as("member_b").patch("/me", {"phone": "call me maybe"})
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MEM-SELF-SERVICE", "phone")
    assert stored(wang_is_member_b.pk).phone == phone


def test_me_answers_404_for_an_account_without_a_member_record(api_as, personas):
    api = api_as("secretary_a")
    assert api.get("/me").status_code == 404
    assert api.patch("/me", {"phone": "13800138000"}).status_code == 404


def test_me_needs_a_signed_in_caller(anonymous_api):
    assert anonymous_api.get("/me").status_code == 401
    assert anonymous_api.patch("/me", {"phone": "13800138000"}).status_code == 401


def test_an_ended_membership_is_not_edited_by_its_member(api_as, tree, wang_is_member_b):
    services.member_end(
        scope=SYSTEM, actor=None, member=stored(tree.wang.pk), status="withdrawn", ended_on=dt.date.today()
    )
    phone = stored(tree.wang.pk).phone
    response = api_as("member_b").patch("/me", {"phone": "13800138999"})
    assert response.status_code == 422
    assert response.json()["rule_id"] == "MEM-NO-DELETE"
    assert stored(tree.wang.pk).phone == phone


def test_member_updates_own_contact_on_the_my_record_page(client, personas, wang_is_member_b):
    client.force_login(personas.member_b)
    page = client.get(reverse("members:me"))
    html = page.content.decode()
    assert page.status_code == 200 and "王五" in html
    assert set(page.context["form"].fields) == {"phone", "address"}
    response = client.post(reverse("members:me"), {"phone": "0571-88886666", "address": "幸福路 2 号"})
    assert response.status_code == 302 and response.url == reverse("members:me")
    assert (stored(wang_is_member_b.pk).phone, stored(wang_is_member_b.pk).address) == (
        "0571-88886666",
        "幸福路 2 号",
    )


def test_my_record_page_ignores_other_posted_fields(client, personas, wang_is_member_b):
    client.force_login(personas.member_b)
    client.post(reverse("members:me"), {"phone": "13800138000", "address": "", "name": "王六", "status": "x"})
    row = stored(wang_is_member_b.pk)
    assert (row.name, row.status, row.phone) == ("王五", "full", "13800138000")


def test_my_record_page_shows_the_refusal_of_a_malformed_phone(client, personas, wang_is_member_b):
    phone = stored(wang_is_member_b.pk).phone
    client.force_login(personas.member_b)
    response = client.post(reverse("members:me"), {"phone": "abc", "address": ""})
    assert response.status_code == 200
    assert "MEM-SELF-SERVICE" in response.content.decode()
    assert stored(wang_is_member_b.pk).phone == phone


def test_my_record_page_says_so_when_the_account_has_no_record(client, personas):
    client.force_login(personas.secretary_a)
    html = client.get(reverse("members:me")).content.decode()
    assert 'id="no-member-record"' in html


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("", True),
        ("13800138000", True),
        ("+86 138 0013 8000", True),
        ("0571-88886666", True),
        ("0571-88886666 转 123", True),
        ("abc", False),
        ("12", False),
        ("138-", False),
        ("1380013800012345678901", False),
    ],
)
def test_phone_rule_accepts_mobiles_and_landlines_only(phone, ok):
    from grassroots.core.errors import RuleViolation
    from grassroots.members import rules

    if ok:
        rules.check_phone(phone)
    else:
        with pytest.raises(RuleViolation) as refused:
            rules.check_phone(phone)
        assert (refused.value.rule_id, refused.value.field) == ("MEM-SELF-SERVICE", "phone")
