"""The history presenter: field labels, choice labels, and related records' names read within the caller's
scope (a name the caller may not see stays an id)."""

from __future__ import annotations

import pytest
from django.db import transaction

from grassroots.audit.models import AuditEvent
from grassroots.audit.presenters import history_entries
from grassroots.core.scoping import unscoped
from grassroots.members import services
from tests.factories import SYSTEM

pytestmark = pytest.mark.django_db


def events_of(member) -> list[AuditEvent]:
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all()
            .filter(target_type="members.member", target_id=member.pk)
            .order_by("id")
        )


def changes_of(entries, field: str):
    return [c for e in entries for c in e.changes if c.field == field]


def test_history_names_the_party_group_and_labels_the_choice_when_the_caller_sees_them(
    tree, personas, scope_of
):
    services.member_update(
        scope=SYSTEM, actor=None, member=tree.zhang, party_group=None, education="bachelor"
    )
    entries = history_entries(scope=scope_of(personas.secretary_a), events=events_of(tree.zhang))
    (group,) = [c for c in changes_of(entries, "party_group") if c.after == "—"]
    assert group.before == "第一党小组" and group.label == "党小组"
    (education,) = changes_of(entries, "education")
    assert education.after == "大学本科"


def test_history_keeps_an_id_for_a_related_record_outside_the_callers_scope(tree, personas, scope_of):
    services.member_update(scope=SYSTEM, actor=None, member=tree.zhang, party_group=None)
    entries = history_entries(scope=scope_of(personas.secretary_b), events=events_of(tree.zhang))
    (group,) = [c for c in changes_of(entries, "party_group") if c.after == "—"]
    assert group.before == f"#{tree.a1.pk}"


def test_history_labels_a_seed_count_in_chinese_when_the_key_names_a_reverse_relation(
    tree, personas, scope_of
):
    from grassroots.audit.services import record

    with transaction.atomic():
        record(
            actor=None, action="seed.load", target=tree.a, org_id=tree.a.pk, changes={"members": [None, 3]}
        )
    with unscoped():
        events = list(AuditEvent.objects.unscoped_all().filter(action="seed.load", target_id=tree.a.pk))
    entries = history_entries(scope=scope_of(personas.county_admin), events=events)
    (members,) = changes_of(entries, "members")
    assert (members.label, members.after) == ("党员数", "3")


# ---------------------------------------------------------------------------------------------------------
# Internal details never reach the screen (issue 8, item 13).


def test_history_shows_the_new_parent_of_a_move_and_never_the_tree_path(tree, personas, scope_of):
    from grassroots.orgs import services as org_services

    org_services.org_move(scope=SYSTEM, actor=None, org=tree.b, new_parent=tree.county)
    with unscoped():
        events = list(AuditEvent.objects.unscoped_all().filter(action="org.move", target_id=tree.b.pk))
    entries = history_entries(scope=scope_of(personas.county_admin), events=events)
    assert [c.field for e in entries for c in e.changes] == ["parent"]
    assert all(not c.after.isdigit() for e in entries for c in e.changes)


def test_history_names_the_linked_account_by_its_persons_name_not_its_login_name(tree, personas, scope_of):
    user = personas.member_b
    user.display_name = "王五"
    user.save(update_fields=["display_name"])
    services.member_link_user(scope=SYSTEM, actor=None, member=tree.wang, user=user)
    entries = history_entries(scope=scope_of(personas.county_admin), events=events_of(tree.wang))
    (linked,) = changes_of(entries, "user")
    assert linked.after == "王五" and "member_b" not in linked.after


def test_history_names_the_system_in_chinese_when_no_user_wrote_the_record(tree, personas, scope_of):
    services.member_update(scope=SYSTEM, actor=None, member=tree.zhang, education="bachelor")
    entries = history_entries(scope=scope_of(personas.secretary_a), events=events_of(tree.zhang))
    assert entries[-1].actor == "系统"


def test_org_history_names_the_old_and_new_parent_of_a_move_not_their_codes(tree, personas):
    from django.test import Client
    from django.urls import reverse

    from grassroots.orgs import services as org_services

    org_services.org_move(scope=SYSTEM, actor=None, org=tree.b, new_parent=tree.county)
    client = Client()
    client.force_login(personas.county_admin)
    response = client.get(reverse("orgs:history", args=[tree.b.code]))
    moved = response.context["entries"][0]
    (parent,) = [c for c in moved.changes if c.field == "parent"]
    assert (parent.before, parent.after) == (tree.g1.name, tree.county.name)
