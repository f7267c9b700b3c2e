"""The registries through which orgs reads what members and recruitment know (orgs.registry): what each app
fills, what orgs reads through them, and what orgs answers when nobody filled one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.urls import reverse

from grassroots.core import summaries
from grassroots.core.scoping import unscoped
from grassroots.members import figures
from grassroots.members import selectors as member_selectors
from grassroots.members.choices import MemberStatus
from grassroots.orgs import registry, selectors, services
from grassroots.orgs.models import CommitteeMember, Org, OrgCommittee
from tests.factories import SYSTEM, make_member, make_org


@pytest.fixture
def unfilled(monkeypatch, tree):
    """Every orgs registry as if no app had filled it (once the tree is made); the apps' registrations come
    back afterwards."""
    monkeypatch.setattr(registry, "_MEMBER_FIGURES", {})
    monkeypatch.setattr(registry, "_COMMITTEE_CANDIDATES", {})
    monkeypatch.setattr(registry, "_MEMBER_PAGES", {})
    monkeypatch.setattr(registry, "_LINKS", {registry.TAB: {}, registry.ACTION: {}})
    return registry


def _fresh(org: Org) -> Org:
    with unscoped():
        return Org.objects.get(pk=org.pk)


# --- what the apps fill ---------------------------------------------------------------------------------


def test_members_fills_the_member_figures_and_candidates_with_its_own_readers_when_ready():
    got = registry.member_figures()
    assert got.own_counts is figures.own_counts
    assert got.subtree_counts is member_selectors.subtree_member_counts
    assert got.child_counts is member_selectors.child_member_counts
    assert got.holds_active_members is member_selectors.holds_active_members
    assert registry.committee_candidates().candidates is member_selectors.committee_candidates
    assert registry.committee_candidates().chosen is member_selectors.members_by_id
    assert registry.member_pages() is not None


def test_own_counts_give_each_orgs_full_and_active_members_when_read_for_a_batch(tree):
    make_member(tree.b, "赵六", status=MemberStatus.PROBATIONARY)
    got = registry.member_figures().own_counts(
        lambda rel: Q(**{f"{rel}__in": [tree.a.pk, tree.b.pk, tree.g1.pk]})
    )
    assert got[tree.a.pk] == registry.OwnCounts(full=2, active=2)
    assert got[tree.b.pk] == registry.OwnCounts(full=1, active=2)
    assert tree.g1.pk not in got  # no members of its own


def test_org_facts_read_the_counts_through_the_registry_in_four_queries(tree, django_assert_num_queries):
    with django_assert_num_queries(4):
        facts = selectors.org_facts(scope=SYSTEM, org=tree.a)
    assert (facts.full_members, facts.members) == (2, 2)


def test_end_guard_reads_the_registry_and_refuses_only_an_org_holding_active_members(tree):
    from grassroots.core.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        services.org_end(scope=SYSTEM, actor=None, org=tree.b, ended_on=dt.date(2026, 1, 1))
    assert refused.value.rule_id == "ORG-END-EMPTY"
    assert _fresh(tree.b).ended_on is None
    empty = make_org(tree.g1, "E", kind="branch")
    services.org_end(scope=SYSTEM, actor=None, org=empty, ended_on=dt.date(2026, 1, 1))
    assert _fresh(empty).ended_on == dt.date(2026, 1, 1)


# --- nobody filled it ---------------------------------------------------------------------------------


def test_member_figures_fail_closed_when_nobody_registered_them(unfilled, tree):
    with pytest.raises(registry.Unregistered):
        registry.member_figures()
    with pytest.raises(registry.Unregistered):
        selectors.org_facts(scope=SYSTEM, org=tree.a)
    with pytest.raises(registry.Unregistered):
        selectors.subtree_member_counts(scope=SYSTEM, org=tree.a)
    with pytest.raises(registry.Unregistered):
        selectors.child_member_counts(scope=SYSTEM, org=tree.g1)


def test_an_org_does_not_end_when_nobody_can_say_it_holds_no_members(monkeypatch, tree):
    empty = make_org(tree.g1, "E", kind="branch")
    monkeypatch.setattr(registry, "_MEMBER_FIGURES", {})
    with pytest.raises(registry.Unregistered):
        services.org_end(scope=SYSTEM, actor=None, org=empty, ended_on=dt.date(2026, 1, 1))
    assert _fresh(empty).ended_on is None


def test_nobody_is_a_candidate_and_no_election_is_recorded_when_nobody_registered_candidates(
    monkeypatch, client, personas, tree
):
    monkeypatch.setattr(registry, "_COMMITTEE_CANDIDATES", {})
    assert registry.committee_candidates().candidates(scope=SYSTEM, org=tree.a) == []
    assert registry.committee_candidates().chosen(scope=SYSTEM, ids=[tree.zhang.pk]) == {}
    client.force_login(personas.secretary_a)
    url = reverse("orgs:elect", args=[tree.a.code])
    html = client.get(url).content.decode()
    assert "张三" not in html and "李四" not in html
    response = client.post(
        url, {"elected_on": "2026-01-05", "term_years": "3", "secretary": str(tree.zhang.pk)}
    )
    assert response.status_code == 200 and "secretary" in response.context["form"].errors
    assert not OrgCommittee.objects.within(SYSTEM).filter(org=tree.a).exists()


def test_org_page_shows_figures_without_links_or_tabs_when_no_pages_were_registered(
    monkeypatch, client, personas, tree
):
    monkeypatch.setattr(registry, "_MEMBER_PAGES", {})
    monkeypatch.setattr(registry, "_LINKS", {registry.TAB: {}, registry.ACTION: {}})
    # The member warnings card is members' own registration (core.summaries), not a page of this registry.
    monkeypatch.setattr(
        summaries, "_REGISTRY", {k: v for k, v in summaries._REGISTRY.items() if k != "member_warnings"}
    )
    client.force_login(personas.secretary_a)
    html = client.get(reverse("orgs:detail", args=[tree.a.code])).content.decode()
    assert (
        "/members/?org=" not in html
        and f'href="{reverse("members:detail", args=[tree.zhang.pk])}"' not in html
    )
    assert 'id="tab-' not in html and 'id="action-' not in html
    assert "新建党员档案" not in html and "登记入党申请人" not in html
    assert "在册党员" in html  # the figures themselves are shown


def test_no_link_is_offered_when_nobody_registered_one(unfilled, tree):
    assert registry.member_pages() is None
    assert registry.org_links(registry.TAB, scope=SYSTEM, org=tree.a) == []
    assert registry.org_links(registry.ACTION, scope=SYSTEM, org=tree.a) == []


def test_a_link_for_an_unknown_place_is_refused_when_registered(unfilled):
    link = registry.OrgLink(key="x", label="X", url=lambda org: "/x/", visible=lambda s, o: True, order=1)
    with pytest.raises(ValueError):
        registry.register_org_link(link, place="sidebar")


def test_links_come_in_their_order_and_replace_one_of_the_same_key_when_registered(unfilled, tree):
    def link(key, order, url="/", visible=True):
        return registry.OrgLink(
            key=key,
            label=key.upper(),
            url=lambda org: f"{url}{org.code}",
            visible=lambda s, o: visible,
            order=order,
        )

    registry.register_org_link(link("b", 20), place=registry.TAB)
    registry.register_org_link(link("a", 10), place=registry.TAB)
    registry.register_org_link(link("hidden", 5, visible=False), place=registry.TAB)
    registry.register_org_link(link("b", 30, url="/b/"), place=registry.TAB)
    shown = registry.org_links(registry.TAB, scope=SYSTEM, org=tree.a)
    assert [(s.key, s.label, s.url) for s in shown] == [("a", "A", "/A"), ("b", "B", "/b/A")]


# --- the links members and recruitment registered, per role and org ---------------------------------------


def _keys(place, scope, org):
    return [link.key for link in registry.org_links(place, scope=scope, org=org)]


def test_tabs_and_buttons_follow_the_roles_and_the_kind_of_org_when_offered(personas, tree, scope_of):
    secretary, viewer, member = (
        scope_of(personas.secretary_a),
        scope_of(personas.county_viewer),
        scope_of(personas.member_b),
    )
    assert _keys(registry.TAB, secretary, tree.a) == ["members", "recruitment", "meetings", "cadence"]
    assert _keys(registry.ACTION, secretary, tree.a) == [
        "member-create",
        "applicant-create",
        "meetings-lapse",
        "meetings-talks",
    ]
    assert _keys(registry.TAB, viewer, tree.a) == ["members", "recruitment", "meetings", "cadence"]
    # The lapse watch and the talks are read by those who read the org's members (issue 10, item 7).
    assert _keys(registry.ACTION, viewer, tree.a) == ["meetings-lapse", "meetings-talks"]
    assert _keys(registry.TAB, member, tree.b) == []
    assert _keys(registry.ACTION, member, tree.b) == []
    # A party group keeps no dossiers and takes no members of its own here; a general branch admits none.
    assert _keys(registry.TAB, secretary, tree.a1) == ["members", "meetings", "cadence"]
    assert _keys(registry.ACTION, secretary, tree.a1) == []
    admin = scope_of(personas.county_admin)
    assert _keys(registry.ACTION, admin, tree.g1) == ["member-create", "meetings-lapse", "meetings-talks"]


def test_applicants_are_not_registered_with_an_ended_branch_when_offered(personas, tree, scope_of):
    ended = make_org(tree.g1, "E", kind="branch")
    services.org_end(scope=SYSTEM, actor=None, org=ended, ended_on=dt.date(2026, 1, 1))
    admin = scope_of(personas.county_admin)
    assert _keys(registry.ACTION, admin, _fresh(ended)) == [
        "member-create",
        "meetings-lapse",
        "meetings-talks",
    ]


def test_member_list_addresses_carry_the_org_and_status_when_built(tree):
    url = registry.member_pages().list_urls()
    assert url(tree.a, "") == f"{reverse('members:list')}?org={tree.a.code}"
    assert url(tree.a, "full") == f"{reverse('members:list')}?org={tree.a.code}&status=full"
    assert registry.member_pages().detail_url(tree.zhang.pk) == reverse(
        "members:detail", args=[tree.zhang.pk]
    )


def test_committee_posts_link_to_the_members_only_when_the_reader_may_see_them(client, personas, tree):
    services.committee_elect(
        scope=SYSTEM, actor=None, org=tree.b, elected_on=dt.date(2025, 1, 5), posts=[(tree.wang, "secretary")]
    )
    assert CommitteeMember.objects.within(SYSTEM).filter(member=tree.wang).exists()
    link = f'href="{reverse("members:detail", args=[tree.wang.pk])}"'
    client.force_login(personas.secretary_b)
    html = client.get(reverse("orgs:detail", args=[tree.b.code])).content.decode()
    assert link in html
    client.force_login(personas.member_b)
    html = client.get(reverse("orgs:detail", args=[tree.b.code])).content.decode()
    assert "王五" in html and link not in html
