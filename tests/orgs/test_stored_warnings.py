"""The stored ORG-* warnings (OrgWarningState): equal to the live ones after every kind of change, refreshed by
the nightly command for the warnings that come with time, filled by migrate, scoped like every org-owned row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from grassroots.core.dates import add_years
from grassroots.core.derived import REGISTRY
from grassroots.core.errors import NotFound
from grassroots.core.scoping import unscoped
from grassroots.members import services as member_services
from grassroots.members.choices import MemberStatus
from grassroots.orgs import selectors, services
from grassroots.orgs.derived import WARNINGS_MIGRATION
from grassroots.orgs.models import OrgWarningState
from tests.factories import SYSTEM, make_member, make_org, make_transfer
from tests.support.warnings import assert_stored_is_live, stored_rows


def rules_of(org) -> set[str]:
    with unscoped():
        return set(OrgWarningState.objects.unscoped_all().filter(org=org).values_list("rule_id", flat=True))


def test_stored_equal_live_when_orgs_and_members_are_created(tree):
    assert stored_rows()  # the fixture's orgs warn of something
    assert_stored_is_live()
    assert rules_of(tree.a) == {"ORG-BRANCH-MIN-3"}


def test_branch_min_warning_goes_when_a_third_full_member_is_created(tree):
    make_member(tree.a, "赵六")
    assert "ORG-BRANCH-MIN-3" not in rules_of(tree.a)
    assert_stored_is_live()


def test_stored_equal_live_when_a_member_ends_is_restored_and_converted(tree):
    zhao = make_member(tree.a, "赵六")
    ended = member_services.member_end(
        scope=SYSTEM, actor=None, member=zhao, status=MemberStatus.SUSPENDED, ended_on=dt.date(2026, 1, 5)
    )
    assert "ORG-BRANCH-MIN-3" in rules_of(tree.a)
    assert_stored_is_live()
    member_services.member_restore(
        scope=SYSTEM, actor=None, member=ended, on=dt.date(2026, 2, 1), reason="恢复"
    )
    assert "ORG-BRANCH-MIN-3" not in rules_of(tree.a)
    probationary = make_member(
        tree.b, "钱七", status=MemberStatus.PROBATIONARY, admitted_on=dt.date(2025, 3, 1)
    )
    member_services.member_convert(
        scope=SYSTEM, actor=None, member=probationary, converted_on=dt.date(2026, 3, 1)
    )
    assert_stored_is_live()


def test_both_orgs_follow_a_member_transferred_and_the_receipt_of_a_letter_outside(tree):
    zhao = make_member(tree.a, "赵六")
    transfer = make_transfer(zhao, letter_serial="2026-001", dues_paid_to=dt.date(2026, 1, 1), to_org=tree.b)
    member_services.transfer_receive(
        scope=SYSTEM, actor=None, transfer=transfer, received_on=timezone.localdate()
    )
    assert "ORG-BRANCH-MIN-3" in rules_of(tree.a)
    assert_stored_is_live()
    out = make_transfer(
        zhao, letter_serial="2026-002", dues_paid_to=dt.date(2026, 1, 1), external_org_name="外省某支部"
    )
    member_services.transfer_return_receipt(
        scope=SYSTEM, actor=None, transfer=out, returned_on=timezone.localdate()
    )
    assert_stored_is_live()


def test_term_warning_comes_with_an_overdue_election_and_goes_with_the_next(tree):
    branch = make_org(tree.g1, "X", kind="branch")
    secretary = make_member(branch, "书记")
    services.committee_elect(
        scope=SYSTEM, actor=None, org=branch, elected_on=dt.date(2020, 1, 1), posts=[(secretary, "secretary")]
    )
    assert "ORG-TERM" in rules_of(branch)
    assert_stored_is_live()
    services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=branch,
        elected_on=timezone.localdate(),
        posts=[(secretary, "secretary")],
    )
    assert "ORG-TERM" not in rules_of(branch)
    assert_stored_is_live()


def test_secretary_standing_follows_a_corrected_conversion_date(tree):
    branch = make_org(tree.g1, "X", kind="branch")
    converted = timezone.localdate() - dt.timedelta(days=30)
    secretary = make_member(branch, "书记", admitted_on=add_years(converted, -1), converted_on=converted)
    services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=branch,
        elected_on=timezone.localdate(),
        posts=[(secretary, "secretary")],
    )
    assert "ORG-SECRETARY-1Y" in rules_of(branch)
    member_services.member_update(
        scope=SYSTEM,
        actor=None,
        member=secretary,
        admitted_on=dt.date(2015, 7, 1),
        converted_on=dt.date(2016, 7, 1),
    )
    assert "ORG-SECRETARY-1Y" not in rules_of(branch)
    assert_stored_is_live()


def test_joint_branch_warning_follows_units_and_the_joint_flag(tree):
    for i in range(6):
        services.org_unit_add(scope=SYSTEM, actor=None, org=tree.b, name=f"单位{i}", unit_kind="enterprise")
    assert_stored_is_live()
    services.org_update(scope=SYSTEM, actor=None, org=tree.b, is_joint=True)
    with unscoped():
        [row] = OrgWarningState.objects.unscoped_all().filter(org=tree.b, rule_id="ORG-BRANCH-MIN-3")
    assert len(row.messages) == 2  # too few full members, too many units: one row, two messages
    assert_stored_is_live()


def test_rows_follow_a_moved_org_and_go_with_an_ended_one(tree):
    other = make_org(tree.county, "G2", kind="general_branch")
    services.org_move(scope=SYSTEM, actor=None, org=tree.b, new_parent=other)
    assert_stored_is_live()
    assert selectors.warning_counts(scope=SYSTEM, org=other).by_rule["ORG-BRANCH-MIN-3"] == 1
    assert selectors.warning_counts(scope=SYSTEM, org=tree.g1).by_rule["ORG-BRANCH-MIN-3"] == 1
    empty = make_org(other, "X", kind="branch")
    assert rules_of(empty) == {"ORG-BRANCH-MIN-3"}
    services.org_end(scope=SYSTEM, actor=None, org=empty, ended_on=timezone.localdate())
    assert rules_of(empty) == set()
    assert_stored_is_live()


def test_stored_messages_show_in_the_reader_language(tree):
    branch = make_org(tree.g1, "X", kind="branch")
    secretary = make_member(branch, "书记")
    services.committee_elect(
        scope=SYSTEM, actor=None, org=branch, elected_on=dt.date(2020, 1, 1), posts=[(secretary, "secretary")]
    )
    today = timezone.localdate()
    shown = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            live = selectors.org_warnings(scope=SYSTEM, org=branch, on=today)
            stored = selectors.stored_warnings(scope=SYSTEM, orgs=[branch])[branch.pk]
        assert [(w.rule_id, w.message) for w in stored] == [(w.rule_id, w.message) for w in live]
        shown[language] = {w.rule_id: w.message for w in stored}
    assert "2023年1月1日" in shown["zh-hans"]["ORG-TERM"]
    assert shown["en"]["ORG-TERM"] != shown["zh-hans"]["ORG-TERM"]


# --- the refresh: nightly, idempotent ----------------------------------------------------------------------


def test_refresh_command_repairs_stale_missing_and_stray_rows_and_is_idempotent(tree):
    with unscoped():
        rows = OrgWarningState.objects.unscoped_all()
        rows.filter(org=tree.a).update(messages=[{"msgid": "旧", "values": {}}])
        rows.filter(org=tree.b).delete()
        OrgWarningState.objects.create(
            org=tree.a1,
            rule_id="ORG-TERM",
            messages=[],
            since=dt.date(2026, 1, 1),
            computed_on=dt.date(2026, 1, 1),
        )
    out = io.StringIO()
    call_command("org_warnings_refresh", stdout=out)
    assert "1 added, 1 changed, 1 removed" in out.getvalue()
    assert_stored_is_live()
    again = io.StringIO()
    call_command("org_warnings_refresh", "--org", tree.g1.code, "--batch-size", "2", stdout=again)
    assert "0 added, 0 changed, 0 removed" in again.getvalue()


def test_term_passing_its_end_shows_after_the_refresh_of_that_day_and_keeps_its_first_day(tree):
    today = timezone.localdate()
    branch = make_org(tree.g1, "X", kind="branch")
    secretary = make_member(branch, "书记")
    committee = services.committee_elect(
        scope=SYSTEM, actor=None, org=branch, elected_on=today, posts=[(secretary, "secretary")]
    )
    assert "ORG-TERM" not in rules_of(branch)
    day_after = committee.term_ends_on + dt.timedelta(days=1)
    services.org_warnings_refresh(scope=SYSTEM, org=tree.g1, on=committee.term_ends_on)
    assert "ORG-TERM" not in rules_of(branch)
    done = services.org_warnings_refresh(scope=SYSTEM, org=tree.g1, on=day_after)
    assert done.inserted == 1
    assert_stored_is_live(day_after)
    later = day_after + dt.timedelta(days=10)
    services.org_warnings_refresh(scope=SYSTEM, on=later)
    with unscoped():
        row = OrgWarningState.objects.unscoped_all().get(org=branch, rule_id="ORG-TERM")
    assert (row.since, row.computed_on) == (day_after, later)
    assert selectors.warning_counts(scope=SYSTEM, org=branch).as_of == later


def test_refresh_covers_the_scope_roots_for_a_granted_user_and_refuses_a_viewer(tree, personas, scope_of):
    from grassroots.core.permissions import PermissionDenied

    with unscoped():
        OrgWarningState.objects.unscoped_all().delete()
    done = services.org_warnings_refresh(scope=scope_of(personas.secretary_a), actor=personas.secretary_a)
    assert set(stored_rows()) == {tree.a.pk}
    assert done.checked == 2  # A and its group
    with pytest.raises(PermissionDenied):
        services.org_warnings_refresh(scope=scope_of(personas.county_viewer), actor=personas.county_viewer)


# --- filled by migrate -------------------------------------------------------------------------------------


class _Migration:
    def __init__(self, app_label, name):
        self.app_label, self.name = app_label, name


def test_migrate_fills_the_rows_only_after_their_migration_and_only_when_empty(tree):
    with unscoped():
        OrgWarningState.objects.unscoped_all().delete()
    REGISTRY.fill_missing(plan=[(_Migration("orgs", "0001_initial"), False)])
    assert stored_rows() == {}
    REGISTRY.fill_missing(plan=[(_Migration(*WARNINGS_MIGRATION), False)])
    assert_stored_is_live()
    with unscoped():
        OrgWarningState.objects.unscoped_all().filter(org=tree.a).delete()
    REGISTRY.fill_missing(plan=[(_Migration(*WARNINGS_MIGRATION), False)])
    assert tree.a.pk not in stored_rows()  # not empty: left to the refresh command


# --- reads and scoping -------------------------------------------------------------------------------------


def test_warning_counts_group_the_subtree_rows_in_two_queries(tree, django_assert_num_queries):
    with django_assert_num_queries(2):
        found = selectors.warning_counts(scope=SYSTEM, org=tree.county)
    assert found.by_rule["ORG-BRANCH-MIN-3"] == 2
    assert (found.orgs_warned, found.orgs_total) == (4, 5)  # C, G1, A, B warn; A1 does not
    assert found.as_of == timezone.localdate()


def test_branch_b_sees_nothing_of_branch_a(tree, personas, scope_of):
    scope = scope_of(personas.secretary_b)
    assert set(OrgWarningState.objects.within(scope).values_list("org_id", flat=True)) == {tree.b.pk}
    assert selectors.stored_warnings(scope=scope, orgs=[tree.a, tree.b]).keys() == {tree.b.pk}
    with pytest.raises(NotFound):
        selectors.warning_counts(scope=scope, org=tree.a)
    with pytest.raises(NotFound):
        selectors.warned_orgs(scope=scope, org=tree.a)
    assert selectors.warning_counts(scope=scope, org=tree.b).orgs_warned == 1
    assert selectors.subtree_names(scope=scope, org=tree.b, paths={tree.a.path, tree.g1.path}) == {}


@pytest.mark.django_db
def test_editing_an_org_refreshes_its_stored_warnings_only_when_a_fact_the_rules_read_changes(
    tree, monkeypatch
):
    from grassroots.orgs import services as org_services

    refreshed = []
    monkeypatch.setattr(org_services, "warnings_refresh", lambda *ids: refreshed.append(ids))
    org_services.org_update(scope=SYSTEM, actor=None, org=tree.a, name="第一支部（更名）")
    assert refreshed == []
    org_services.org_update(scope=SYSTEM, actor=None, org=tree.a, is_joint=True)
    assert refreshed == [(tree.a.pk,)]
