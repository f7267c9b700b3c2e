"""The maintained per-org member figures (OrgMemberFigures): kept equal to the members by every service that
changes them, read by the dashboards, recomputed and checked by `grassroots member_figures_refresh`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import ScopeError, unscoped
from grassroots.demo import seeder
from grassroots.members import selectors, services
from grassroots.members.choices import MemberStatus
from grassroots.members.models import Member, OrgMemberFigures
from grassroots.orgs import selectors as org_selectors
from grassroots.orgs import services as org_services
from grassroots.orgs.models import Org
from tests.factories import SYSTEM, make_member, make_org, make_transfer
from tests.support.api import ApiClient, token_for
from tests.support.road import apply, steps, votes, walk

D = dt.date


def live_counts() -> dict[int, dict[str, int]]:
    """Every org's own members by status, counted from the members (the truth the figures must equal)."""
    out: dict[int, dict[str, int]] = {}
    with unscoped():
        for org_id in Org.objects.unscoped_all().values_list("pk", flat=True):
            out[org_id] = dict.fromkeys(MemberStatus.values, 0)
        for org_id, status, n in (
            Member.objects.unscoped_all().values_list("org_id", "status").annotate(n=Count("*")).order_by()
        ):
            out[org_id][status] = n
    return out


def stored_figures() -> dict[int, dict[str, int]]:
    with unscoped():
        out = {
            pk: dict.fromkeys(MemberStatus.values, 0)
            for pk in Org.objects.unscoped_all().values_list("pk", flat=True)
        }
        for row in OrgMemberFigures.objects.unscoped_all():
            out[row.org_id] = row.counts()
    return out


def assert_figures_are_live(step: str) -> None:
    assert stored_figures() == live_counts(), step


def test_figures_equal_live_counts_after_every_step_when_members_come_change_and_go(
    tree, personas, road_clock
):
    assert_figures_are_live("tree")
    assert OrgMemberFigures.objects.within(SYSTEM).filter(org=tree.a).get().full == 2

    # Recruitment first (张三 and 李四 are the mentors and sponsors): one admitted as probationary
    # (member_create) and converted, another admitted and then cancelled.
    secretary = ApiClient(token_for("secretary_a"))
    road = steps(tree)
    first = apply(secretary, tree, name="钱七").json()["id"]
    for step in road:
        walk(secretary, first, [step])
        assert_figures_are_live(f"recruitment {step['event']}")
    second = apply(secretary, tree, name="孙八").json()["id"]
    walk(secretary, second, road[:13])
    assert_figures_are_live("second admitted")
    walk(
        secretary,
        second,
        [
            {"event": "conversion_vote", "on": "2026-09-01", "outcome": "cancel", **votes()},
            {"event": "probation_cancelled", "on": "2026-09-10"},
        ],
    )
    assert_figures_are_live("probation cancelled")

    zhao = make_member(tree.a, "赵六", status=MemberStatus.PROBATIONARY, admitted_on=D(2025, 12, 1))
    assert_figures_are_live("create probationary")
    services.member_convert(scope=SYSTEM, actor=None, member=zhao, converted_on=D(2026, 12, 1))
    assert_figures_are_live("convert")
    services.member_end(
        scope=SYSTEM, actor=None, member=tree.li, status=MemberStatus.SUSPENDED, ended_on=D(2026, 5, 1)
    )
    assert_figures_are_live("suspend")
    with unscoped():
        li = Member.objects.unscoped_all().get(pk=tree.li.pk)
    services.member_restore(scope=SYSTEM, actor=None, member=li, on=D(2026, 6, 1), reason="恢复")
    assert_figures_are_live("restore")
    services.member_end(
        scope=SYSTEM, actor=None, member=zhao, status=MemberStatus.DECEASED, ended_on=D(2026, 12, 20)
    )
    assert_figures_are_live("end")

    # A transfer to an org of the system: the count moves when the receiving org accepts the letter.
    letter = make_transfer(
        tree.zhang, to_org=tree.b, letter_serial="F-1", dues_paid_to=D(2026, 10, 1), issued_on=D(2026, 11, 1)
    )
    assert_figures_are_live("letter issued")
    services.transfer_receive(scope=SYSTEM, actor=None, transfer=letter, received_on=D(2026, 11, 5))
    assert_figures_are_live("transfer received")
    assert OrgMemberFigures.objects.within(SYSTEM).get(org=tree.b).full == 2
    services.transfer_return_receipt(scope=SYSTEM, actor=None, transfer=letter, returned_on=D(2026, 11, 9))
    assert_figures_are_live("receipt returned")
    # Out of the system: the member stays on the sending org's books as 已转出.
    out = make_transfer(
        tree.wang,
        external_org_name="中共某市某局支部",
        letter_serial="F-2",
        dues_paid_to=D(2026, 10, 1),
        issued_on=D(2026, 11, 1),
    )
    services.transfer_return_receipt(scope=SYSTEM, actor=None, transfer=out, returned_on=D(2026, 11, 20))
    assert_figures_are_live("transferred out of the system")
    assert OrgMemberFigures.objects.within(SYSTEM).get(org=tree.b).transferred_out == 1

    figures_a = OrgMemberFigures.objects.within(SYSTEM).get(org=tree.a)
    # 李四 and 钱七 full; 孙八 cancelled; 赵六 deceased (张三 went to B).
    assert (figures_a.full, figures_a.probation_cancelled, figures_a.deceased) == (2, 1, 1)
    assert selectors.member_figures_drift(scope=SYSTEM) == []


def test_figures_are_not_changed_when_a_service_refuses(tree):
    before = stored_figures()
    with pytest.raises(Exception):  # noqa: B017 - any refusal will do: nothing may be written
        services.member_convert(scope=SYSTEM, actor=None, member=tree.zhang, converted_on=D(2026, 1, 1))
    assert stored_figures() == before


def test_subtree_counts_add_up_the_figures_when_reading_a_subtree(tree):
    counts = selectors.subtree_member_counts(scope=SYSTEM, org=tree.g1)
    assert counts == dict.fromkeys(MemberStatus.values, 0) | {"full": 3, "active": 3}
    # The dashboards read the figures, not the members: a row changed around the services is not seen ...
    with unscoped():
        Member.objects.unscoped_all().filter(pk=tree.wang.pk).update(status=MemberStatus.EXPELLED)
    assert selectors.subtree_member_counts(scope=SYSTEM, org=tree.g1)["full"] == 3
    # ... until the figures are refreshed.
    services.member_figures_refresh(scope=SYSTEM, actor=None)
    assert selectors.subtree_member_counts(scope=SYSTEM, org=tree.g1)["full"] == 2
    assert selectors.subtree_member_counts(scope=SYSTEM, org=tree.g1)["expelled"] == 1


def test_child_counts_and_org_facts_read_the_figures_when_members_are_probationary(tree):
    make_member(tree.b, "赵六", status=MemberStatus.PROBATIONARY, admitted_on=D(2025, 12, 1))
    counts = org_selectors.child_member_counts(scope=SYSTEM, org=tree.g1)
    assert counts == {tree.a.path: {"full": 2}, tree.b.path: {"full": 1, "probationary": 1}}
    assert org_selectors.child_member_counts(scope=SYSTEM, org=tree.county) == {
        tree.g1.path: {"full": 3, "probationary": 1}
    }
    facts = org_selectors.org_facts(scope=SYSTEM, org=tree.b)
    assert (facts.full_members, facts.members) == (1, 2)


def test_figures_need_no_recomputation_when_an_org_moves(tree):
    g2 = make_org(tree.county, "G2", "第二总支", kind="general_branch")
    org_services.org_move(scope=SYSTEM, actor=None, org=tree.b, new_parent=g2)
    with unscoped():
        g1, g2 = (Org.objects.unscoped_all().get(code=c) for c in ("G1", "G2"))
    assert selectors.subtree_member_counts(scope=SYSTEM, org=g1)["active"] == 2
    assert selectors.subtree_member_counts(scope=SYSTEM, org=g2)["active"] == 1
    assert selectors.member_figures_drift(scope=SYSTEM) == []


def drift_a_row(tree) -> None:
    with unscoped():
        OrgMemberFigures.objects.unscoped_all().filter(org=tree.a).update(full=7, withdrawn=1)


def test_check_reports_the_drifted_org_and_exits_non_zero_when_a_row_drifts(tree):
    drift_a_row(tree)
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("member_figures_refresh", "--check", stdout=out)
    assert "1 orgs" in str(exc.value)
    assert out.getvalue().splitlines() == [f"A {tree.a.name}: full 7→2, withdrawn 1→0"]
    with unscoped():  # --check writes nothing
        assert OrgMemberFigures.objects.unscoped_all().get(org=tree.a).full == 7


def test_refresh_fixes_the_drifted_row_and_records_it_when_run(tree):
    drift_a_row(tree)
    with unscoped():  # an org whose members arrived around the services has no row at all
        OrgMemberFigures.objects.unscoped_all().filter(org=tree.b).delete()
    out = io.StringIO()
    call_command("member_figures_refresh", stdout=out)
    assert "2 orgs corrected" in out.getvalue()
    assert_figures_are_live("refreshed")
    event = AuditEvent.objects.within(SYSTEM).get(action="member_figures.refresh")
    assert event.changes["orgs_corrected"] == [None, 2]
    assert event.changes["codes"] == [None, ["A", "B"]]
    check = io.StringIO()
    call_command("member_figures_refresh", "--check", stdout=check)
    assert "agree" in check.getvalue()


def test_refresh_of_one_org_leaves_the_rest_of_the_tree_alone_when_given_org(tree):
    drift_a_row(tree)
    with unscoped():
        OrgMemberFigures.objects.unscoped_all().filter(org=tree.b).update(full=5)
    call_command("member_figures_refresh", "--org", "A", stdout=io.StringIO())
    assert [d.code for d in selectors.member_figures_drift(scope=SYSTEM)] == ["B"]
    assert selectors.member_figures_drift(scope=SYSTEM, org=tree.a) == []


def test_branch_b_secretary_gets_no_figures_of_a_when_reading_or_refreshing(tree, personas, scope_of):
    sec_b = scope_of(personas.secretary_b)
    assert set(OrgMemberFigures.objects.within(sec_b).values_list("org_id", flat=True)) == {tree.b.pk}
    with pytest.raises(NotFound):
        selectors.subtree_member_counts(scope=sec_b, org=tree.a)
    with pytest.raises(NotFound):
        org_selectors.child_member_counts(scope=sec_b, org=tree.g1)
    with pytest.raises(NotFound):
        selectors.member_figures_drift(scope=sec_b, org=tree.a)
    drift_a_row(tree)
    assert selectors.member_figures_drift(scope=sec_b) == []  # the scope's own subtree only
    with pytest.raises(CommandError, match="not found"):
        call_command("member_figures_refresh", "--org", "A", "--as-user", "secretary_b")
    with pytest.raises(CommandError, match="permission denied"):  # refreshing writes: org_admin only
        call_command("member_figures_refresh", "--as-user", "secretary_b")
    with pytest.raises(ScopeError):
        list(OrgMemberFigures.objects.all())


def test_org_admin_refreshes_their_subtree_when_acting_as_themself(tree, personas):
    drift_a_row(tree)
    call_command("member_figures_refresh", "--as-user", "county_admin", stdout=io.StringIO())
    assert selectors.member_figures_drift(scope=SYSTEM) == []
    event = AuditEvent.objects.within(SYSTEM).get(action="member_figures.refresh")
    assert event.actor_id == personas.county_admin.pk


@pytest.mark.django_db
def test_seed_fills_the_figures_set_based_when_loading_members():
    seeder.seed(scale="tiny", seed=3, as_of=D(2026, 6, 30), out=lambda _m: None)
    assert_figures_are_live("seeded")
    with unscoped():
        assert OrgMemberFigures.objects.unscoped_all().count() == (
            Member.objects.unscoped_all().values("org_id").distinct().count()
        )
    root = Org.objects.within(SYSTEM).get(depth=1)
    assert selectors.subtree_member_counts(scope=SYSTEM, org=root)["active"] > 400
    assert selectors.member_figures_drift(scope=SYSTEM) == []
    seeder.seed(scale="tiny", seed=4, replace=True, as_of=D(2026, 6, 30), out=lambda _m: None)
    assert_figures_are_live("seeded again over the first")


def test_migrate_fills_the_figures_of_existing_members_when_it_applies_their_migration(tree):
    from django.db.migrations.loader import MigrationLoader

    from grassroots.core.derived import REGISTRY
    from grassroots.members.derived import FIGURES_MIGRATION

    with unscoped():
        OrgMemberFigures.objects.unscoped_all().delete()
    migration = MigrationLoader(None, ignore_no_migrations=True).disk_migrations[FIGURES_MIGRATION]
    REGISTRY.fill_missing(plan=[(migration, True)])  # backwards: nothing
    assert OrgMemberFigures.objects.within(SYSTEM).count() == 0
    REGISTRY.fill_missing(plan=[(migration, False)])
    assert_figures_are_live("migrated")
    assert OrgMemberFigures.objects.within(SYSTEM).count() == 2  # branches A and B
    REGISTRY.fill_missing(plan=[(migration, False)])  # filled already: kept
    assert_figures_are_live("migrated twice")


@pytest.mark.django_db
def test_a_stale_member_record_is_checked_against_its_locked_row_and_moves_no_count(tree):
    stale = Member.objects.within(SYSTEM).get(pk=tree.zhang.pk)
    services.member_end(
        scope=SYSTEM,
        actor=None,
        member=tree.zhang,
        status=MemberStatus.DECEASED,
        ended_on=dt.date(2026, 5, 1),
    )
    assert stale.status == MemberStatus.FULL  # read before the change
    with pytest.raises(RuleViolation):
        services.member_end(
            scope=SYSTEM,
            actor=None,
            member=stale,
            status=MemberStatus.SUSPENDED,
            ended_on=dt.date(2026, 6, 1),
        )
    assert_figures_are_live("refused end of a stale record")
