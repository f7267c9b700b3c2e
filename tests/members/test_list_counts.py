"""The member list's count from the maintained member figures: the page and `GET /members` number their pages
from `selectors.member_count` when the list is narrowed by org and status only, and that number must be
exactly the list's COUNT(*) — for every reader, org and status, with or without other filters, and after
every kind of member write. A long list is read in pinyin order (`broad`) with the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts import services as account_services
from grassroots.accounts.selectors import scope_for_user
from grassroots.core.pagination import Counted
from grassroots.members import selectors, services
from grassroots.members.choices import MemberStatus
from grassroots.members.filters import MemberFilter
from tests.factories import SYSTEM, make_member, make_org, make_transfer
from tests.support.personas import client_for

D = dt.date
STATUSES = ["", *MemberStatus.values, "no-such-status"]


def listed_count(scope, data: dict) -> tuple[bool, int, int]:
    """(whether the count came from the figures, the count the paginator gets, COUNT(*) of the list)."""
    member_filter = MemberFilter(data, scope=scope)
    paged = member_filter.paged
    return isinstance(paged, Counted), paged.count(), MemberFilter(data, scope=scope).qs.count()


def assert_counts_exact(scopes, orgs, step: str) -> None:
    for scope in scopes:
        for org in orgs:
            if org is not None and not scope.covers(org.path):
                continue
            for status in STATUSES:
                data = {"status": status} | ({"org": org.code} if org is not None else {})
                from_figures, fast, slow = listed_count(scope, data)
                assert from_figures, (step, scope.label, data)
                assert fast == slow, (step, scope.label, data)


@pytest.fixture
def world(tree, personas):
    """The persona tree with a second county and members of every kind in it."""
    other = make_org(None, "D", "中共另一县委员会", kind="committee", unit_kind="government")
    branch = make_org(other, "D1", "中共另一县第一支部委员会", kind="branch", unit_kind="government")
    make_member(tree.a, "赵六", status=MemberStatus.PROBATIONARY)
    make_member(tree.b, "钱七")
    make_member(branch, "孙八")
    two_roots = personas.secretary_a
    account_services.grant_add(scope=SYSTEM, actor=None, user=two_roots, org=branch, role="secretary")
    return tree, other, branch


def test_count_from_figures_equals_count_star_when_listed_by_org_and_status(world, personas):
    tree, other, branch = world
    scopes = [SYSTEM] + [
        scope_for_user(p) for p in (personas.county_admin, personas.secretary_a, personas.secretary_b)
    ]
    assert_counts_exact(scopes, [None, tree.county, tree.g1, tree.a, tree.b, other, branch], "seeded")


def test_count_star_when_filtered_beyond_org_and_status(world, personas):
    scope = scope_for_user(personas.county_admin)
    for data in (
        {"q": "张"},
        {"q": "zs", "status": MemberStatus.FULL},
        {"education": "bachelor"},
        {"occupation": "professional"},
        {"flags": ["is_needy"]},
    ):
        from_figures, fast, slow = listed_count(scope, data)
        assert not from_figures, data
        assert fast == slow, data


def test_count_from_figures_equals_count_star_after_member_writes(world, personas):
    tree, other, branch = world
    scopes = [SYSTEM, scope_for_user(personas.county_admin), scope_for_user(personas.secretary_a)]
    orgs = [None, tree.county, tree.a, tree.b, other, branch]
    newcomer = make_member(tree.b, "周九", status=MemberStatus.PROBATIONARY, admitted_on=D(2025, 10, 1))
    assert_counts_exact(scopes, orgs, "created")
    services.member_convert(scope=SYSTEM, actor=None, member=newcomer, converted_on=D(2026, 10, 1))
    assert_counts_exact(scopes, orgs, "converted")
    services.member_end(
        scope=SYSTEM, actor=None, member=tree.li, status=MemberStatus.SUSPENDED, ended_on=D(2026, 10, 2)
    )
    assert_counts_exact(scopes, orgs, "suspended")
    services.member_restore(scope=SYSTEM, actor=None, member=tree.li, on=D(2026, 10, 3), reason="恢复党籍")
    assert_counts_exact(scopes, orgs, "restored")
    letter = make_transfer(tree.wang, to_org=branch)
    services.transfer_receive(scope=SYSTEM, actor=None, transfer=letter, received_on=timezone.localdate())
    assert_counts_exact(scopes, orgs, "transferred")
    services.member_end(
        scope=SYSTEM, actor=None, member=newcomer, status=MemberStatus.DECEASED, ended_on=D(2026, 10, 6)
    )
    assert_counts_exact(scopes, orgs, "ended")


def test_list_page_and_api_count_members_from_figures_and_page_the_same_rows(world, personas, api_as):
    tree, _other, _branch = world
    client = client_for("county_admin")
    html = client.get(reverse("members:list"), {"org": tree.county.code}).content.decode()
    assert "共 5 名党员" in html
    body = api_as("county_admin").get("/members", org=tree.county.code, page_size=2).json()
    assert body["count"] == 5 and body["next"] == 2
    assert [m["name"] for m in body["items"]] == ["李四", "钱七"]
    body = api_as("county_admin").get("/members", org=tree.county.code, status="probationary").json()
    assert body["count"] == 1 and [m["name"] for m in body["items"]] == ["赵六"]


def test_broad_list_has_the_same_rows_in_the_same_order(world, personas):
    tree, _other, _branch = world
    for scope in (SYSTEM, scope_for_user(personas.county_admin), scope_for_user(personas.secretary_a)):
        for org in (None, tree.county, tree.a):
            if org is not None and not scope.covers(org.path):
                continue
            for status in (None, MemberStatus.FULL, MemberStatus.PROBATIONARY):
                plain = selectors.member_list(scope=scope, org=org, status=status)
                broad = selectors.member_list(scope=scope, org=org, status=status, broad=True)
                assert list(broad.values_list("pk", flat=True)) == list(plain.values_list("pk", flat=True))
    sql = str(selectors.member_list(scope=scope_for_user(personas.county_admin), broad=True).query)
    assert ("likely(" in sql) == (connection.vendor == "sqlite")


def test_long_list_is_read_broad_and_short_list_is_not(world, personas, monkeypatch):
    tree, _other, _branch = world
    scope = scope_for_user(personas.county_admin)
    assert "likely(" not in str(MemberFilter({}, scope=scope).paged.queryset.query)
    monkeypatch.setattr(selectors, "BROAD_LIST", 5)
    paged = MemberFilter({"org": tree.county.code}, scope=scope).paged
    assert ("likely(" in str(paged.queryset.query)) == (connection.vendor == "sqlite")
    assert [m.pk for m in paged[0:50]] == list(
        selectors.member_list(scope=scope, org=tree.county).values_list("pk", flat=True)
    )
    monkeypatch.setattr(selectors, "BROAD_LIST", 1)
    paged = MemberFilter({"org": tree.county.code, "status": MemberStatus.PROBATIONARY}, scope=scope).paged
    assert paged.count() == 1 and [m.name for m in paged[0:50]] == ["赵六"]
    assert ("likely(" in str(paged.queryset.query)) == (connection.vendor == "sqlite")
