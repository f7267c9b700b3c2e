"""`grassroots seed` and `grassroots demo_setup` at the tiny scale (~40 orgs incl. party groups, 500 members)."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from grassroots.accounts.models import RoleGrant, User
from grassroots.audit.models import AuditEvent
from grassroots.core import crypto, id_number, pinyin, seeding
from grassroots.core.scoping import Scope, unscoped
from grassroots.members.models import Member
from grassroots.orgs.models import CommitteeMember, Org, OrgCommittee
from grassroots.orgs.selectors import org_warnings

AS_OF = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db(transaction=False)


def _seed(seed=1, replace=False):
    return seeding.seed(scale="tiny", seed=seed, replace=replace, as_of=AS_OF, out=lambda _m: None)


def _snapshot():
    with unscoped():
        orgs = list(Org.objects.unscoped_all().order_by("path").values_list("code", "name", "path", "kind"))
        members = list(
            Member.objects.unscoped_all()
            .order_by("id")
            .values_list("org__code", "name", "sex", "birth_date", "id_number_hash", "admitted_on", "status")
        )
    return orgs, members


def test_seed_is_deterministic_and_replace_reloads_the_same_data():
    _seed(1)
    first = _snapshot()
    assert 20 <= len(first[0]) <= 60 and len(first[1]) == 500
    _seed(1, replace=True)
    assert _snapshot() == first
    _seed(2, replace=True)
    assert _snapshot()[0] != first[0]
    # One summary audit event per seed run, not one per row; the trail restarts on --replace.
    with unscoped():
        assert list(AuditEvent.objects.unscoped_all().values_list("action", flat=True)) == ["seed.load"]
    # The tree is the same whatever the scale's plan draws for ID collisions: built twice, equal.
    a = [(n.code, n.name, n.path) for n in seeding.build_tree("tiny", 7, AS_OF)]
    assert a == [(n.code, n.name, n.path) for n in seeding.build_tree("tiny", 7, AS_OF)]


def test_seed_refuses_a_non_empty_database():
    _seed(1)
    with pytest.raises(seeding.SeedRefused):
        _seed(1)
    with pytest.raises(CommandError):
        call_command("seed", "--scale", "tiny", "--seed", "1", stdout=io.StringIO())


def test_tree_is_valid_for_treebeard():
    _seed(3)
    with unscoped():
        assert all(problems == [] for problems in Org.objects.find_problems())
        orgs = {o.path: o for o in Org.objects.unscoped_all()}
        for path, org in orgs.items():
            assert org.depth == len(path) // 4
            assert org.numchild == sum(1 for p in orgs if len(p) == len(path) + 4 and p.startswith(path))
            if org.depth > 1:
                parent = orgs[path[:-4]]
                from grassroots.orgs.rules import ALLOWED_CHILDREN

                assert org.kind in ALLOWED_CHILDREN[parent.kind]
        assert len({o.code for o in orgs.values()}) == len(orgs)
        # Treebeard's own API works on the loaded tree.
        root = Org.objects.unscoped_all().get(depth=1)
        assert Org.objects.get_descendant_count(root) == len(orgs) - 1
        # New orgs and members get fresh ids after the explicit-id load.
        child = Org.objects.add_child(root, {"code": "NEW1", "name": "中共测试新支部", "kind": "branch"})
        assert child.pk > max(o.pk for o in orgs.values())


def test_members_have_valid_consistent_id_numbers_and_dates():
    _seed(4)
    with unscoped():
        members = list(Member.objects.unscoped_all().select_related("org", "party_group"))
    hashes = set()
    for m in members:
        number = crypto.decrypt(m.id_number_encrypted)
        info = id_number.parse(number)
        assert info.birth_date == m.birth_date and info.sex == m.sex
        assert m.id_number_hash == crypto.keyed_hash(number) and m.id_number_masked == id_number.mask(number)
        hashes.add(m.id_number_hash)
        assert (m.name_pinyin, m.name_initials) == pinyin.keys(m.name)
        assert m.org.kind != "group"
        if m.party_group:
            assert m.party_group.kind == "group" and m.party_group.path[:-4] == m.org.path
        age_at_admission = (m.admitted_on - m.birth_date).days / 365.25
        assert age_at_admission >= 18
        assert m.admitted_on <= AS_OF
        if m.status == "probationary":
            assert m.converted_on is None and (AS_OF - m.admitted_on).days < 366
        else:
            assert m.converted_on is not None and m.converted_on > m.admitted_on
            assert m.converted_on.year - m.admitted_on.year == 1
    assert len(hashes) == len(members)


def test_composition_is_roughly_the_bulletins():
    _seed(5)
    mix = seeding.composition()
    assert 22 <= mix["women"] <= 39
    assert 3 <= mix["minorities"] <= 13
    assert 40 <= mix["college"] <= 75
    assert 1 <= mix["probationary"] <= 6
    assert mix["occupation.farmer"] > 10 and mix["occupation.retiree"] > 3
    with unscoped():
        kinds = dict(Org.objects.unscoped_all().values_list("kind").annotate(n=Count("id")).order_by())
    grassroots_orgs = sum(n for k, n in kinds.items() if k != "group")
    assert kinds["branch"] / grassroots_orgs > 0.7


def test_committees_and_warnings_show_in_the_demo():
    _seed(6)
    system = Scope.system("test")
    with unscoped():
        assert OrgCommittee.objects.count() > 0 and CommitteeMember.objects.count() > 0
        for post in CommitteeMember.objects.select_related("committee__org", "member__org"):
            assert post.member.org.path.startswith(post.committee.org.path)
        rule_ids = set()
        for org in Org.objects.unscoped_all().exclude(kind="group"):
            rule_ids |= {w.rule_id for w in org_warnings(scope=system, org=org, on=AS_OF)}
    # Tiny is only ~20 branches: at least some of the deliberate flaws show.
    assert rule_ids, "the demo should show some ORG-* warnings"


def test_seed_command_prints_progress():
    out = io.StringIO()
    call_command("seed", "--scale", "tiny", "--seed", "1", "--as-of", "2026-06-30", stdout=out)
    assert "members loaded" in out.getvalue() and "seeded tiny #1" in out.getvalue()


def test_demo_setup_is_idempotent(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    first = io.StringIO()
    call_command("demo_setup", "--scale", "tiny", "--seed", "1", stdout=first)
    users_before = set(User.objects.values_list("username", flat=True))
    grants_before = RoleGrant.objects.count()
    with unscoped():
        events_before = AuditEvent.objects.unscoped_all().count()
    path = tmp_path / "demo_users.json"
    stored = json.loads(path.read_text())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert {"demo_admin", "demo_viewer", "demo_secretary", "demo_officer", "demo_member"} <= users_before
    second = io.StringIO()
    call_command("demo_setup", "--scale", "tiny", "--seed", "1", stdout=second)
    assert set(User.objects.values_list("username", flat=True)) == users_before
    assert RoleGrant.objects.count() == grants_before
    with unscoped():
        assert AuditEvent.objects.unscoped_all().count() == events_before
    assert json.loads(path.read_text()) == stored
    assert first.getvalue().splitlines()[-6:] == second.getvalue().splitlines()[-6:]
    assert "not seeding" in second.getvalue()
    # Passwords work, the member user is linked to a member of the secretary's branch.
    member_user = User.objects.get(username="demo_member")
    assert member_user.check_password(stored["users"]["demo_member"]["password"])
    with unscoped():
        member = Member.objects.unscoped_all().get(user=member_user)
    assert member.org.code == stored["branch_code"] and member.name[0] in "王李张刘陈"
