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
from grassroots.core import crypto, id_number, pinyin
from grassroots.core.scoping import Scope, unscoped
from grassroots.demo import seeder
from grassroots.members import seed as members_seed
from grassroots.members.models import Member
from grassroots.orgs.models import CommitteeMember, Org, OrgCommittee
from grassroots.orgs.selectors import org_warnings
from grassroots.recruitment.models import Applicant, RecruitmentEvent

AS_OF = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db(transaction=False)


def _seed(seed=1, replace=False):
    return seeder.seed(scale="tiny", seed=seed, replace=replace, as_of=AS_OF, out=lambda _m: None)


def _snapshot():
    with unscoped():
        orgs = list(Org.objects.unscoped_all().order_by("path").values_list("code", "name", "path", "kind"))
        members = list(
            Member.objects.unscoped_all()
            .order_by("id")
            .values_list(
                "org__code", "name", "sex", "birth_date", "id_number_hash", "admitted_on", "status",
                "disciplinary_probation_from", "disciplinary_probation_until",
            )
        )  # fmt: skip
        applicants = list(
            Applicant.objects.unscoped_all()
            .order_by("id")
            .values_list(
                "org__code", "name", "birth_date", "id_number_hash", "applied_on", "stage", "member_id"
            )
        )
        events = list(
            RecruitmentEvent.objects.unscoped_all()
            .order_by("id")
            .values_list("applicant_id", "sequence", "kind", "on", "payload", "facts", "warnings")
        )
    return orgs, members, applicants, events


def test_seed_is_deterministic_and_replace_reloads_the_same_data():
    _seed(1)
    first = _snapshot()
    assert 20 <= len(first[0]) <= 60 and len(first[1]) == 500
    assert first[2] and first[3]
    _seed(1, replace=True)
    assert _snapshot() == first
    _seed(2, replace=True)
    assert _snapshot()[0] != first[0]
    # One summary audit event per seed run, not one per row; the trail restarts on --replace.
    with unscoped():
        assert list(AuditEvent.objects.unscoped_all().values_list("action", flat=True)) == ["seed.load"]
    # The tree is the same whatever the scale's plan draws for ID collisions: built twice, equal.
    a = [(n.code, n.name, n.path) for n in seeder.build_tree("tiny", 7, AS_OF)]
    assert a == [(n.code, n.name, n.path) for n in seeder.build_tree("tiny", 7, AS_OF)]


def test_seed_refuses_a_non_empty_database():
    _seed(1)
    with pytest.raises(seeder.SeedRefused):
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
        assert m.id_number_tail_hash == crypto.tail_hash(number)
        hashes.add(m.id_number_hash)
        assert (m.name_pinyin, m.name_initials) == pinyin.keys(m.name)
        assert m.name_sort == pinyin.sort_key(m.name)
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
    mix = members_seed.composition()
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


def test_seed_has_dossiers_at_every_stage_that_replay_through_the_rules():
    from grassroots.members.selectors import under_disciplinary_probation
    from grassroots.recruitment import rules, selectors
    from grassroots.recruitment.models import Applicant, RecruitmentEvent
    from grassroots.recruitment.seed import dossiers
    from grassroots.workcalendar.selectors import calendar

    result = _seed(7)
    with unscoped():
        applicants = list(Applicant.objects.unscoped_all().select_related("org").order_by("id"))
        events: dict[int, list] = {}
        for e in RecruitmentEvent.objects.unscoped_all().order_by("applicant_id", "sequence"):
            events.setdefault(e.applicant_id, []).append(e)
        members = {m.pk: m for m in Member.objects.unscoped_all()}
    stages = {a.stage for a in applicants}
    assert {"applicant", "activist", "candidate", "probationary", "full"} <= stages
    assert result.applicants == dict(_count_by_stage(applicants))
    hashes = set()
    for a in applicants:
        assert a.org.kind == "branch"
        rows = events.get(a.pk, [])
        assert [e.sequence for e in rows] == list(range(1, len(rows) + 1))
        # Replayed step by step with the real rules and calendar: nothing refused, warnings as stored.
        timeline = rules.Timeline(birth_date=a.birth_date, applied_on=a.applied_on)
        for stored, event in zip(rows, selectors.timeline_of(a, rows).events, strict=True):
            warnings = rules.check_event(
                timeline, event, policy=selectors.policy_for(a.org, event.on), calendar=calendar()
            )
            assert [w.rule_id for w in warnings] == [w["rule_id"] for w in stored.warnings]
            assert selectors.clean_payload(stored.kind, stored.payload) is not None
            # Stored exactly as the replayed step gives it back (`payload_of` inverts `build_event`).
            assert dossiers.payload_of(event) == (stored.payload, stored.facts)
            assert stored.on <= AS_OF
            timeline = timeline.with_event(event)
        derived = rules.derived_dates(timeline)
        assert derived.stage == a.stage
        live = selectors.next_for(a.stage, timeline, selectors.policy_for(a.org, AS_OF))
        assert bool(live) == (a.stage not in rules.TERMINAL)
        # The stored next steps (filled at load time) are the live ones.
        assert (a.next_steps, a.next_due_on) == selectors.stored_next(live)
        assert (a.next_computed_on, a.next_policy_id) == (AS_OF, None)
        # So are the ledger's milestone dates.
        assert {n: getattr(a, n) for n in selectors.MILESTONE_FIELDS} == selectors.milestones_of(timeline)
        number = crypto.decrypt(a.id_number_encrypted)
        info = id_number.parse(number)
        assert info.birth_date == a.birth_date and info.sex == a.sex
        assert a.id_number_hash == crypto.keyed_hash(number) and a.id_number_masked == id_number.mask(number)
        assert a.id_number_tail_hash == crypto.tail_hash(number)
        assert (a.name_pinyin, a.name_initials) == pinyin.keys(a.name)
        assert a.name_sort == pinyin.sort_key(a.name)
        rules.check_application(birth_date=a.birth_date, applied_on=a.applied_on)
        hashes.add(a.id_number_hash)
        if a.stage in ("probationary", "full"):
            m = members[a.member_id]
            assert (m.org_id, m.name, m.sex, m.birth_date, m.id_number_hash) == (
                a.org_id, a.name, a.sex, a.birth_date, a.id_number_hash,
            )  # fmt: skip
            assert derived.admitted_on == m.admitted_on and derived.converted_on == m.converted_on
            assert m.status == a.stage and m.joined_how == "recruited"
        else:
            assert a.member_id is None
            assert not any(m.id_number_hash == a.id_number_hash for m in members.values())
        for e in rows:
            for member_id in e.payload.get("mentors", []) + e.payload.get("sponsors", []):
                helper = members[member_id]
                assert helper.org_id == a.org_id and helper.converted_on <= e.on
                assert not under_disciplinary_probation(helper, e.on)  # REC-MENTORS, REC-SPONSORS
    assert len(hashes) == len(applicants)
    # Some applicants are overdue for their talk (the demo shows the warning).
    overdue = [
        a
        for a in applicants
        if a.stage == "applicant" and not events.get(a.pk) and (AS_OF - a.applied_on).days > 31
    ]
    assert overdue
    # A new application can still be recorded and stepped on top of the seed (ids continue).
    with unscoped():
        assert Applicant.objects.unscoped_all().order_by("-id").first().pk == len(applicants)


def _count_by_stage(applicants):
    out: dict[str, int] = {}
    for a in applicants:
        out[a.stage] = out.get(a.stage, 0) + 1
    return sorted(out.items())


def test_seeded_vote_rosters_are_the_branch_electorate_on_the_vote_date_and_give_the_stored_counts():
    from grassroots.members import selectors as member_selectors
    from grassroots.recruitment import rules, selectors

    # At the tiny scale (~500 members, 0.3% under 留党察看) whether some vote's electorate holds a member under
    # 留党察看 is chance: seed 4's does.
    _seed(4)
    system = Scope.system("test")
    with unscoped():
        votes = list(
            RecruitmentEvent.objects.unscoped_all()
            .filter(kind__in=("branch_vote", "conversion_vote"))
            .select_related("applicant__org")
            .order_by("id")
        )
    reasons: list[str] = []
    written = 0
    for e in votes:
        a = e.applicant
        roster = selectors.build_event(e.kind, e.on, e.payload, e.facts).roster
        assert roster is not None
        counts = rules.roster_counts(roster)
        assert [e.payload[n] for n in selectors.ROSTER_COUNTS] == [
            counts.should_attend, counts.present, counts.written_yes,
        ]  # fmt: skip
        # The electorate is what the vote form lists for that date (`full_members_on`), less the member whose
        # own conversion is voted on (probationary that day); pinyin order, names and 留党察看 as then.
        expected = sorted(
            (
                m
                for m in member_selectors.full_members_on(scope=system, org=a.org, on=e.on)
                if m.pk != a.member_id
            ),
            key=lambda m: (m.name_sort, m.pk),
        )
        assert e.facts["electorate"] == [m.pk for m in expected]
        for m in expected:
            watched = member_selectors.under_disciplinary_probation(m, e.on)
            assert e.facts[str(m.pk)] == {"full": True, "disciplinary_probation": watched, "name": m.name}
        excluded = {r["member"]: r for r in e.payload["roster"]["excluded"]}
        for m in expected:
            if member_selectors.under_disciplinary_probation(m, e.on):
                assert excluded[m.pk]["reason"] == "disciplinary_probation"
        for r in excluded.values():
            assert (r["reason"] == "other") == bool(r["note"])
        reasons += [r["reason"] for r in excluded.values()]
        written += len(e.payload["roster"]["written"])
        assert 2 * counts.present > counts.should_attend
    assert "disciplinary_probation" in reasons and set(reasons) - {"disciplinary_probation"}
    assert written


def test_a_few_full_members_are_under_disciplinary_probation_for_one_or_two_years_and_never_help():
    from grassroots.members import rules as member_rules
    from grassroots.members.seed import people
    from grassroots.orgs.seed import tree

    node = tree.Node(
        id=1, path="0001", code="4301220001", name="中共测试村支部委员会", kind="branch", unit_kind="village",
        region="430122", place="测试县测试镇测试村", size=6000,
    )  # fmt: skip
    factory = people.PeopleFactory(3, AS_OF, dt.datetime(2026, 6, 30, tzinfo=dt.UTC))
    columns = {c: i for i, c in enumerate(people.MEMBER_COLUMNS)}
    rows = list(factory.members(node, []))
    assert all(len(row) == len(people.MEMBER_COLUMNS) for row in rows)
    full = [r for r in rows if r[columns["status"]] == "full"]
    watched = [r for r in full if r[columns["disciplinary_probation_from"]] is not None]
    assert 0.001 < len(watched) / len(full) < 0.006
    assert all(
        r[columns["disciplinary_probation_from"]] is None for r in rows if r[columns["status"]] != "full"
    )
    for r in watched:
        start, until = r[columns["disciplinary_probation_from"]], r[columns["disciplinary_probation_until"]]
        member_rules.check_disciplinary_probation(start, until)  # MEM-DISCIPLINE-TERM
        assert AS_OF - dt.timedelta(days=365) < start <= AS_OF < until
        assert start >= r[columns["converted_on"]]
    # Neither a committee member nor a mentor or sponsor (`last`), but on the vote rolls (`last_roll`).
    ids = {r[columns["id"]] for r in watched}
    assert not ids & {c[0] for c in factory.last}
    assert ids <= {r[1] for r in factory.last_roll}
    assert {c[0] for c in factory.last} | ids == {r[columns["id"]] for r in full}


def _roll(n_full: int, watched: int = 0):
    """A branch roll of `n_full` long-standing full members, the first `watched` under 留党察看 on AS_OF."""
    from grassroots.recruitment.seed import dossiers

    admitted, converted = dt.date(2010, 3, 1), dt.date(2011, 3, 1)
    start = AS_OF - dt.timedelta(days=100)
    rows = []
    for i in range(n_full):
        period = (start, start.replace(year=start.year + 1)) if i < watched else (None, None)
        rows.append((f"p{i:03d}", 1000 + i, f"党员{i}", admitted, converted, None, *period))
    return dossiers.Roll(rows)


def test_seeded_votes_pass_and_their_counts_are_the_rosters_whatever_the_branch_size():
    import random

    from grassroots.recruitment import rules
    from grassroots.recruitment.seed import dossiers

    rng = random.Random(0)
    seen = {"excluded": 0, "absent": 0, "written": 0}
    for n_full in range(2, 90):
        watched = 1 if n_full >= 4 else 0
        bp = dossiers.BranchPeople(node=None, n_full=n_full, seniors=[], roll=_roll(n_full, watched))
        builder = dossiers.Builder(bp, rng, AS_OF)
        for _ in range(40):
            votes, roster = builder._votes(AS_OF)
            assert rules.vote_passed(votes)
            assert rules.check_roster(roster, votes) == rules.roster_counts(roster)  # REC-VOTERS-FULL
            assert len(roster.electorate) == n_full
            excluded = rules.roster_excluded(roster)
            if watched:
                assert excluded[1000].reason == "disciplinary_probation"
            seen["excluded"] += len(excluded) - watched
            seen["absent"] += votes.should_attend - votes.present
            seen["written"] += len(roster.written)
    assert all(seen.values())


def test_a_conversion_vote_roster_leaves_out_the_member_being_converted():
    import random

    from grassroots.recruitment.seed import dossiers

    bp = dossiers.BranchPeople(node=None, n_full=5, seniors=[], roll=_roll(5))
    builder = dossiers.Builder(bp, random.Random(1), AS_OF)
    _votes, roster = builder._votes(AS_OF, leaving=1002)
    assert [p.member_id for p in roster.electorate] == [1000, 1001, 1003, 1004]


def test_a_stored_roster_is_what_the_service_stores_and_replays_to_the_same_roster():
    import random

    from grassroots.recruitment import rules, selectors
    from grassroots.recruitment.seed import dossiers

    bp = dossiers.BranchPeople(node=None, n_full=12, seniors=[], roll=_roll(12, watched=1))
    builder = dossiers.Builder(bp, random.Random(2), AS_OF)
    votes, roster = builder._votes(AS_OF)
    payload, facts = dossiers.payload_of(rules.BranchVote(on=AS_OF, votes=votes, roster=roster))
    assert facts["electorate"] == list(range(1000, 1012))
    assert facts["1000"] == {"full": True, "disciplinary_probation": True, "name": "党员0"}
    # The 留党察看 exclusion is listed as the service lists it (by id, with the fixed reason).
    assert payload["roster"]["excluded"][0] == {
        "member": 1000,
        "reason": "disciplinary_probation",
        "note": "",
    }
    replayed = selectors.build_event("branch_vote", AS_OF, json.loads(json.dumps(payload)), facts)
    assert replayed.votes == votes
    assert rules.roster_counts(replayed.roster) == rules.roster_counts(roster)
    assert replayed.roster.present == roster.present and replayed.roster.written == roster.written


def test_a_roll_lists_those_full_on_the_vote_date_like_full_members_on():
    from grassroots.recruitment.seed import dossiers

    old = (dt.date(2010, 3, 1), dt.date(2011, 3, 1))
    roll = dossiers.Roll(
        [
            ("a", 1, "甲", *old, None, None, None),
            ("b", 2, "乙", *old, AS_OF - dt.timedelta(days=10), None, None),  # died ten days ago
            ("c", 3, "丙", AS_OF - dt.timedelta(days=400), AS_OF - dt.timedelta(days=35), None, None, None),
            ("d", 4, "丁", *old, None, AS_OF - dt.timedelta(days=5), AS_OF + dt.timedelta(days=360)),
        ]
    )
    month_ago = AS_OF - dt.timedelta(days=30)
    assert [(p.member_id, p.disciplinary_probation) for p in roll.on(month_ago)] == [
        (1, False), (2, False), (3, False), (4, False),
    ]  # fmt: skip
    assert [(p.member_id, p.disciplinary_probation) for p in roll.on(AS_OF)] == [
        (1, False),
        (3, False),
        (4, True),
    ]
    assert [p.member_id for p in roll.on(AS_OF - dt.timedelta(days=40))] == [1, 2, 4]


def test_demo_branch_is_a_lively_one_with_a_member_under_disciplinary_probation_when_there_is_one(
    monkeypatch,
):
    from grassroots.demo.management.commands import demo_setup
    from grassroots.members.selectors import under_disciplinary_probation
    from grassroots.orgs.models import Org

    _seed(1)
    monkeypatch.setattr(demo_setup.timezone, "localdate", lambda: AS_OF)
    with unscoped():
        members = Member.objects.unscoped_all()
        members.update(disciplinary_probation_from=None, disciplinary_probation_until=None)
        branches = list(Org.objects.unscoped_all().filter(kind="branch").values_list("pk", flat=True))
    # Every branch that could be the demo's counts as lively here; the first of them is picked.
    first_members = dict(demo_setup._first_members(AS_OF))
    eligible = [pk for pk in branches if pk in first_members and demo_setup._warned(pk, AS_OF)]
    monkeypatch.setattr(demo_setup, "_lively_branches", lambda: set(eligible))
    first = demo_setup.pick_branch()[0]
    assert not demo_setup._watched_branches() and len(eligible) > 1
    with unscoped():
        common = members.filter(status="full", name__regex="^[王李张刘陈]")
        other = next(
            pk for pk in reversed(eligible) if pk != first.pk and common.filter(org_id=pk).count() > 1
        )
        # The member the demo would otherwise have taken is the one under 留党察看.
        watched = first_members[other]
        members.filter(pk=watched).update(
            disciplinary_probation_from=AS_OF - dt.timedelta(days=30),
            disciplinary_probation_until=AS_OF.replace(year=AS_OF.year + 1) - dt.timedelta(days=30),
        )
    assert demo_setup._watched_branches() == {other}
    branch, member = demo_setup.pick_branch()
    assert branch.pk == other
    # The demo member's own record is not the one under 留党察看.
    assert member.org_id == other and member.pk != watched
    assert not under_disciplinary_probation(member, AS_OF)


def test_seed_stores_the_org_warnings_of_its_as_of_day():
    from tests.support.warnings import live_rows, stored_rows

    _seed(6)
    stored = stored_rows()
    assert stored, "the demo should store some ORG-* warnings"
    assert stored == live_rows(AS_OF)


def test_pick_branch_reads_the_candidates_once_and_each_branchs_warnings_at_most_once(monkeypatch):
    from grassroots.demo.management.commands import demo_setup

    _seed(1)
    monkeypatch.setattr(demo_setup.timezone, "localdate", lambda: AS_OF)
    passes: list[int] = []
    warned: list[int] = []
    first_members, is_warned = demo_setup._first_members, demo_setup._warned

    def counted_members(today):
        passes.append(1)
        yield from first_members(today)

    def counted_warned(org_id, today):
        warned.append(org_id)
        return is_warned(org_id, today)

    monkeypatch.setattr(demo_setup, "_first_members", counted_members)
    monkeypatch.setattr(demo_setup, "_warned", counted_warned)
    # No branch is lively: the one tier is any branch, and the first warned one in tree order is picked.
    monkeypatch.setattr(demo_setup, "_lively_branches", set)
    branch, member = demo_setup.pick_branch()
    assert passes == [1] and warned[-1] == branch.pk and len(warned) == len(set(warned))
    assert dict(first_members(AS_OF))[branch.pk] == member.pk
    # Lively branches that come late in tree order: still one pass, each branch's warnings computed once.
    order = list(dict(first_members(AS_OF)))
    late = {pk for pk in order[len(order) // 2 :] if is_warned(pk, AS_OF)}
    assert late
    monkeypatch.setattr(demo_setup, "_lively_branches", lambda: late)
    monkeypatch.setattr(demo_setup, "_watched_branches", set)
    passes.clear()
    warned.clear()
    branch, _member = demo_setup.pick_branch()
    assert passes == [1] and len(warned) == len(set(warned))
    assert branch.pk == next(pk for pk in order if pk in late)
    # The best tier (lively, with a member under 留党察看) holds only branches without warnings: the next tier
    # goes on from what the first read, still in one pass, computing no branch's warnings twice.
    quiet = {pk for pk in order if not is_warned(pk, AS_OF)}
    assert quiet
    monkeypatch.setattr(demo_setup, "_lively_branches", lambda: late | quiet)
    monkeypatch.setattr(demo_setup, "_watched_branches", lambda: quiet)
    passes.clear()
    warned.clear()
    branch, _member = demo_setup.pick_branch()
    assert passes == [1] and len(warned) == len(set(warned))
    assert branch.pk == next(pk for pk in order if pk in late)
    assert quiet <= set(warned)


def test_the_seed_hooks_run_in_layer_order_and_each_lives_in_its_app():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    depth = {app.strip(): i for i, layer in enumerate(reversed(layers)) for app in layer.split("|")}
    apps = [hook.__name__.removesuffix(".seed") for hook in seeder.HOOKS]
    assert [hook.__name__ for hook in seeder.HOOKS] == [f"{app}.seed" for app in apps]
    assert [depth[app] for app in apps] == sorted(depth[app] for app in apps)
    assert all(callable(hook.load) for hook in seeder.HOOKS)


def test_every_seeded_kind_of_audit_event_renders_in_the_history_its_record_shows(tmp_path, settings, client):
    """The demo's own events (the seed, the demo users and their member link) render on the history tab of the
    record they are about: org history pages and member records, as the county admin sees them."""
    settings.DATA_DIR = tmp_path
    call_command("demo_setup", "--scale", "tiny", "--seed", "1", stdout=io.StringIO())
    client.force_login(User.objects.get(username="demo_admin"))
    with unscoped():
        events = list(AuditEvent.objects.unscoped_all().values_list("action", "target_type", "target_id"))
        org_codes = dict(Org.objects.unscoped_all().values_list("pk", "code"))
    assert {action for action, _t, _i in events} >= {"seed.load"}
    pages = set()
    for _action, target_type, target_id in events:
        if target_type == "orgs.org":
            pages.add(f"/orgs/{org_codes[target_id]}/history/")
        elif target_type == "members.member":
            pages.add(f"/members/{target_id}/")
    assert pages, "the demo records events about orgs or members"
    assert len(pages) == 2  # the root's history (seed.load) and the demo member's record (member.link_user)
    for page in sorted(pages):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "变更记录" in response.content.decode(), page


def test_demo_people_look_real_ages_regions_and_names():
    """Item 20 of issue 8: ages at admission as the bulletins give them (probationary members young), ID
    numbers of the demo county's region (a few from elsewhere, only for members transferred in), and no
    name borne twice in one org nor doubled (名·名)."""
    import statistics

    _seed(8)
    with unscoped():
        members = list(Member.objects.unscoped_all().select_related("org"))
        applicants = list(Applicant.objects.unscoped_all().select_related("org"))
        root = Org.objects.unscoped_all().get(depth=1)

    def age(born: dt.date, on: dt.date) -> float:
        return (on - born).days / 365.25

    probationary = [age(m.birth_date, m.admitted_on) for m in members if m.status == "probationary"]
    assert len(probationary) >= 10
    assert statistics.median(probationary) < 30
    assert min(probationary) >= 19 and max(probationary) < 61
    assert all(m.birth_date.year >= 1965 for m in members if m.status == "probationary")
    admitted = [age(m.birth_date, m.admitted_on) for m in members]
    assert (
        sum(a <= 35 for a in admitted) / len(admitted) >= 0.75
    )  # bulletins: about four in five admitted at 35 or under

    county = root.code[:6]
    elsewhere = 0
    for m in members:
        region = crypto.decrypt(m.id_number_encrypted)[:6]
        assert region == m.id_number_masked[:6]
        if region != county:
            assert m.joined_how == "transferred_in", (m.name, region)
            elsewhere += 1
    assert 0 < elsewhere < len(members) * 0.2
    assert all(crypto.decrypt(a.id_number_encrypted)[:6] == county for a in applicants if a.member_id is None)

    by_org: dict[int, list[str]] = {}
    for m in members:
        by_org.setdefault(m.org_id, []).append(m.name)
        if "·" in m.name:
            own, father = m.name.split("·")
            assert own != father, m.name
        half = len(m.name) // 2
        assert len(m.name) < 4 or m.name[:half] != m.name[half:], m.name
    assert all(len(names) == len(set(names)) for names in by_org.values())
