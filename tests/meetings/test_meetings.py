"""Arranging a meeting (issue 10, item 1–2): the server derives who should attend from the org, the kind and
the date; each of them gets an in-app notice; the org kind must hold that kind of meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import selectors, services
from grassroots.meetings.models import Attendance, MeetingNotice
from tests.factories import make_meeting, make_member

pytestmark = pytest.mark.django_db
D = dt.date


def roster(meeting) -> list[str]:
    with unscoped():
        return list(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True)
            .order_by("member__name_sort")
            .values_list("member__name", flat=True)
        )


def test_general_meeting_expects_the_branch_members_when_arranged(tree):
    meeting = make_meeting(tree.a)
    assert roster(meeting) == ["李四", "张三"]
    assert meeting.expected_count == 2


def test_group_meeting_expects_the_group_members_when_arranged(tree):
    meeting = make_meeting(tree.a1, kind="group_meeting")
    assert roster(meeting) == ["张三"]


def test_lecture_of_a_general_branch_expects_its_whole_subtree_when_arranged(tree):
    meeting = make_meeting(tree.g1, kind="party_lecture")
    assert roster(meeting) == ["李四", "王五", "张三"]


def test_member_admitted_after_the_meeting_is_not_expected_when_arranged(tree, today_is):
    today_is(D(2026, 12, 4))
    make_member(tree.a, "赵六", admitted_on=D(2026, 12, 1), status="probationary")
    early = make_meeting(tree.a, planned_on=D(2026, 11, 30))
    late = make_meeting(tree.a, planned_on=D(2026, 12, 2))
    assert "赵六" not in roster(early)
    assert "赵六" in roster(late)


def test_probationary_members_attend_without_a_vote_when_arranged(tree, today_is):
    today_is(D(2026, 12, 4))
    make_member(tree.a, "赵六", admitted_on=D(2026, 6, 1), status="probationary")
    meeting = make_meeting(tree.a, planned_on=D(2026, 12, 2))
    with unscoped():
        votes = dict(
            Attendance.objects.unscoped_all().filter(meeting=meeting).values_list("member__name", "voting")
        )
    assert votes["赵六"] is False
    assert votes["张三"] is True


def test_every_expected_member_gets_a_notice_when_arranged(tree):
    meeting = make_meeting(tree.a)
    with unscoped():
        noticed = set(
            MeetingNotice.objects.unscoped_all().filter(meeting=meeting).values_list("member_id", flat=True)
        )
    assert noticed == {tree.zhang.pk, tree.li.pk}


def test_arranging_is_audited_when_a_meeting_is_created(tree):
    meeting = make_meeting(tree.a)
    with unscoped():
        event = AuditEvent.objects.unscoped_all().get(action="meeting.create", target_id=meeting.pk)
    assert event.changes["expected"] == 2


@pytest.mark.parametrize(
    ("org", "kind"),
    [
        ("a1", "general_meeting"),
        ("a", "group_meeting"),
        ("county", "general_meeting"),
        ("a1", "party_lecture"),
    ],
)
def test_refused_with_mtg_kind_when_the_org_does_not_hold_that_kind(tree, org, kind):
    with pytest.raises(RuleViolation) as refused:
        make_meeting(getattr(tree, org), kind=kind)
    assert refused.value.rule_id == "MTG-KIND"


def test_committee_meeting_refused_when_the_org_has_no_committee(tree):
    with pytest.raises(RuleViolation) as refused:
        make_meeting(tree.a, kind="committee_meeting")
    assert refused.value.rule_id == "MTG-QUORUM-COMMITTEE"


@pytest.mark.parametrize("topic", ["", "   ", "会议\x00主题"])
def test_refused_when_the_topic_is_empty_or_holds_control_characters(tree, topic):
    with pytest.raises(RuleViolation):
        make_meeting(tree.a, topic=topic)


def test_convener_from_another_branch_refused_when_arranged(tree):
    with pytest.raises(RuleViolation) as refused:
        make_meeting(tree.a, convener=tree.wang)
    assert refused.value.rule_id == "MTG-PEOPLE"


def test_a_sibling_secretary_cannot_arrange_or_read_when_out_of_scope(tree, personas, scope_of):
    scope_b = scope_of(personas.secretary_b)
    with pytest.raises(NotFound):
        services.meeting_create(
            scope=scope_b,
            actor=personas.secretary_b,
            org=tree.a,
            kind="general_meeting",
            topic="x",
            planned_on=D(2026, 1, 5),
        )
    meeting = make_meeting(tree.a)
    with pytest.raises(NotFound):
        selectors.meeting_get(scope=scope_b, meeting_id=meeting.pk)


def test_a_member_without_a_role_cannot_arrange_when_in_scope(tree, personas, scope_of):
    scope = scope_of(personas.member_b)
    with pytest.raises((PermissionDenied, NotFound)):
        services.meeting_create(
            scope=scope,
            actor=personas.member_b,
            org=tree.b,
            kind="general_meeting",
            topic="x",
            planned_on=D(2026, 1, 5),
        )


@pytest.mark.parametrize("topic", ["", "   "])
def test_refused_with_mtg_topic_when_the_topic_is_blank(tree, topic):
    with pytest.raises(RuleViolation) as refused:
        make_meeting(tree.b, topic=topic)
    assert (refused.value.rule_id, refused.value.field) == ("MTG-TOPIC", "topic")
