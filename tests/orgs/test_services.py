import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.orgs import selectors, services
from grassroots.orgs.models import Org, OrgCommittee
from tests.factories import SYSTEM, make_member


def paths():
    with unscoped():
        return dict(Org.objects.unscoped_all().values_list("code", "path"))


def test_create_refuses_and_changes_nothing_when_code_is_taken(tree):
    before = paths()
    with pytest.raises(RuleViolation) as exc:
        services.org_create(scope=SYSTEM, actor=None, parent=tree.g1, code="A", name="重复", kind="branch")
    assert exc.value.rule_id == "ORG-CODE-UNIQUE"
    assert "已被使用" in str(exc.value.message)
    assert paths() == before


def test_create_refuses_when_code_has_spaces(tree):
    with pytest.raises(RuleViolation) as exc:
        services.org_create(scope=SYSTEM, actor=None, parent=tree.g1, code="A B", name="x", kind="branch")
    assert exc.value.rule_id == "ORG-CODE-FORMAT"


def test_move_refuses_and_changes_nothing_when_target_is_a_descendant(tree):
    before = paths()
    with pytest.raises(RuleViolation) as exc:
        services.org_move(scope=SYSTEM, actor=None, org=tree.g1, new_parent=tree.a)
    assert exc.value.rule_id in ("ORG-MOVE-CYCLE",)
    assert paths() == before


def test_move_carries_subtree_and_members_when_moved(tree):
    c2 = services.org_create(
        scope=SYSTEM, actor=None, parent=tree.county, code="G2", name="第二总支", kind="general_branch"
    )
    moved = services.org_move(scope=SYSTEM, actor=None, org=tree.a, new_parent=c2)
    p = paths()
    assert p["A"].startswith(p["G2"]) and p["A1"].startswith(p["A"])
    from grassroots.members.selectors import subtree_member_counts

    assert subtree_member_counts(scope=SYSTEM, org=moved)["active"] == 2
    with unscoped():
        assert all(not problems for problems in Org.objects.find_problems())
    assert AuditEvent.objects.within(SYSTEM).filter(action="org.move", target_id=tree.a.pk).exists()


def test_secretary_cannot_create_orgs_when_not_org_admin(personas, tree, scope_of):
    with pytest.raises(PermissionDenied):
        services.org_create(
            scope=scope_of(personas.secretary_a),
            actor=personas.secretary_a,
            parent=tree.a,
            code="A2",
            name="第二党小组",
            kind="group",
        )


def test_org_admin_cannot_touch_orgs_when_outside_scope(personas, tree, scope_of):
    with pytest.raises(NotFound):
        services.org_update(
            scope=scope_of(personas.secretary_a), actor=personas.secretary_a, org=tree.b, name="x"
        )


def test_update_records_before_and_after_when_name_changes(personas, tree, scope_of):
    services.org_update(
        scope=scope_of(personas.secretary_a), actor=personas.secretary_a, org=tree.a, phone="010-1234"
    )
    event = AuditEvent.objects.within(SYSTEM).filter(action="org.update").get()
    assert event.changes == {"phone": ["", "010-1234"]}
    assert event.actor == personas.secretary_a


def test_end_refuses_when_org_still_has_members(tree):
    with pytest.raises(RuleViolation) as exc:
        services.org_end(scope=SYSTEM, actor=None, org=tree.a, ended_on=dt.date(2026, 11, 1))
    assert exc.value.rule_id == "ORG-END-EMPTY"


def test_committee_election_ends_previous_and_clears_warnings_when_complete(tree):
    members = [
        make_member(tree.a, f"委员{i}", admitted_on=dt.date(2009, 1, 1), converted_on=dt.date(2010, 1, 1))
        for i in range(5)
    ]
    roles = ["secretary", "organization_officer", "publicity_officer", "discipline_officer", "member"]
    services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        elected_on=dt.date(2020, 1, 1),
        posts=list(zip(members, roles, strict=True)),
    )
    assert [w.rule_id for w in selectors.org_warnings(scope=SYSTEM, org=tree.a, on=dt.date(2026, 1, 1))] == [
        "ORG-TERM"
    ]
    services.committee_elect(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        elected_on=dt.date(2026, 1, 1),
        posts=list(zip(members, roles, strict=True)),
    )
    assert selectors.org_warnings(scope=SYSTEM, org=tree.a, on=dt.date(2026, 1, 2)) == []
    assert OrgCommittee.objects.within(SYSTEM).filter(org=tree.a).count() == 2
    assert OrgCommittee.objects.within(SYSTEM).get(org=tree.a, ended_on__isnull=True).term_ends_on == dt.date(
        2029, 1, 1
    )


def test_committee_refuses_when_member_belongs_elsewhere(tree):
    with pytest.raises(RuleViolation):
        services.committee_elect(
            scope=SYSTEM,
            actor=None,
            org=tree.a,
            elected_on=dt.date(2026, 1, 1),
            posts=[(tree.wang, "secretary")],
        )


def test_branch_warnings_show_when_branch_is_small(tree):
    warnings = selectors.org_warnings(scope=SYSTEM, org=tree.b, on=dt.date(2026, 11, 23))
    assert "ORG-BRANCH-MIN-3" in [w.rule_id for w in warnings]


def test_child_counts_group_members_by_child_when_reading_a_general_branch(tree):
    counts = selectors.child_member_counts(scope=SYSTEM, org=tree.g1)
    assert counts == {tree.a.path: {"full": 2}, tree.b.path: {"full": 1}}
