"""Issue 8, item 17: a member's home page shows what concerns them — their own record, their transfer in
progress, their recruitment dossier while probationary, their committee posts — and not the branch's warnings
they cannot act on; the menus show only what their roles can use."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from grassroots.accounts import services as account_services
from grassroots.core.roles import Role
from grassroots.core.scoping import unscoped
from grassroots.members import services as member_services
from grassroots.orgs import services as org_services
from grassroots.recruitment.models import Applicant
from tests.factories import SYSTEM, ApplicantFactory, make_transfer

TODAY = dt.date.today()


@pytest.fixture
def wang_is_member_b(tree, personas):
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.wang, user=personas.member_b)
    return tree.wang


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_member_home_shows_own_record_and_not_the_branch_warnings(client, personas, tree, wang_is_member_b):
    # Branch B has one full member: fewer than 3 (ORG-BRANCH-MIN-3) — the secretary's to-do, not the member's.
    assert "ORG-BRANCH-MIN-3" in home(client, personas.secretary_b)
    html = home(client, personas.member_b)
    assert 'id="mine"' in html and 'id="mine-record"' in html
    assert reverse("members:me") in html
    assert "ORG-BRANCH-MIN-3" not in html
    assert "您还没有任何组织的角色" not in html


def test_member_home_shows_their_transfer_in_progress(client, personas, tree, wang_is_member_b):
    make_transfer(tree.wang, to_org=tree.a, letter_serial="JS-H-1")
    html = home(client, personas.member_b)
    assert 'id="mine-transfer"' in html and tree.a.name in html


def test_member_home_shows_their_committee_posts(client, personas, tree, wang_is_member_b):
    org_services.committee_elect(
        scope=SYSTEM, actor=None, org=tree.b, elected_on=TODAY, posts=[(tree.wang, "secretary")], term_years=3
    )
    html = home(client, personas.member_b)
    assert 'id="mine-posts"' in html and "书记" in html


def test_member_home_shows_their_dossier_while_probationary(client, personas, tree, wang_is_member_b):
    applicant = ApplicantFactory(org=tree.b, name="王五")
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=applicant.pk).update(
            member=tree.wang, stage="probationary", admitted_on=dt.date(2025, 6, 1)
        )
    html = home(client, personas.member_b)
    assert 'id="mine-dossier"' in html and "2025-06-01" in html
    with unscoped():
        Applicant.objects.unscoped_all().filter(pk=applicant.pk).update(converted_on=dt.date(2026, 6, 1))
    assert 'id="mine-dossier"' not in home(client, personas.member_b)  # converted: the road is over


def test_member_home_leaves_out_what_is_not_theirs(client, personas, tree, wang_is_member_b):
    make_transfer(tree.zhang, to_org=tree.b, letter_serial="JS-H-2")  # a letter to B, not about 王五
    html = home(client, personas.member_b)
    assert 'id="mine-transfer"' not in html
    assert 'id="todo-transfers"' not in html  # letters to receive are the secretary's


def test_every_menu_entry_shown_to_a_role_opens_for_it(client, tree):
    for role in Role.values:
        user = account_services.user_add(
            scope=SYSTEM,
            actor=None,
            username=f"menu_{role}",
            password="x",
            org_code=tree.b.code,
            role=role,
            check_password=False,
        )
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        for href in re.findall(r'class="nav-link" href="([^"]+)" id="nav-', html):
            assert client.get(href, follow=True).status_code == 200, (role, href)
