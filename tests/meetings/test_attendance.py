"""Who attended, as the officers record it (MTG-ATTENDANCE, MTG-STATUS, MTG-LEAVE): one roster line at a time
(by the secretary, or a late entry after the meeting's day), guests present and outside the rate, the
member's own leave request before the start and the officers' decision; the stored counts follow every change
and nothing changes once the minutes are final. Rates per member and per org over a period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import attendance as reads
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Meeting, Minutes
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_meeting

pytestmark = pytest.mark.django_db
D = dt.date


def line(meeting, member) -> Attendance:
    with unscoped():
        return Attendance.objects.unscoped_all().get(meeting=meeting, member=member)


def counts(meeting) -> tuple[int, ...]:
    with unscoped():
        m = Meeting.objects.unscoped_all().get(pk=meeting.pk)
    return (m.expected_count, m.present_count, m.excused_count, m.absent_count, m.guest_count)


def record(meeting, member, status, reason="", **kwargs):
    return services.attendance_record(
        scope=SYSTEM, actor=None, meeting=meeting, member=member, status=status, reason=reason, **kwargs
    )


@pytest.fixture
def meeting(tree, today_is):
    """Branch A's general meeting on 2 November 2026 (张三 and 李四 expected); today is that day."""
    today_is(D(2026, 11, 2))
    return make_meeting(tree.a, planned_on=D(2026, 11, 2), starts_at=dt.time(14, 30), topic="十一月党员大会")


@pytest.fixture
def zhang_user(tree, personas):
    """张三 of branch A signs in as member_b's account (linked to his record)."""
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.zhang, user=personas.member_b)
    return personas.member_b


# --- attendance_record --------------------------------------------------------------------------------------


def test_present_line_is_marked_by_the_secretary_when_recorded_on_the_meetings_day(tree, meeting):
    record(meeting, tree.zhang, "present", today=D(2026, 11, 2))
    got = line(meeting, tree.zhang)
    assert (got.status, got.method, got.reason) == ("present", "secretary", "")
    assert got.recorded_at is not None
    assert counts(meeting) == (2, 1, 0, 0, 0)


def test_line_is_a_late_entry_when_recorded_after_the_meetings_day(tree, meeting):
    record(meeting, tree.zhang, "absent", "未请假", today=D(2026, 11, 3))
    got = line(meeting, tree.zhang)
    assert (got.status, got.method, got.reason) == ("absent", "late_entry", "未请假")
    assert counts(meeting) == (2, 0, 0, 1, 0)


def test_excused_line_needs_a_reason_when_recorded(tree, meeting):
    with pytest.raises(RuleViolation) as caught:
        record(meeting, tree.li, "excused", " ")
    assert (caught.value.rule_id, caught.value.field) == ("MTG-ATTENDANCE", "reason")
    record(meeting, tree.li, "excused", "出差")
    assert counts(meeting) == (2, 0, 1, 0, 0)


def test_unknown_status_is_refused_when_recorded(tree, meeting):
    with pytest.raises(RuleViolation) as caught:
        record(meeting, tree.li, "late")
    assert caught.value.rule_id == "MTG-ATTENDANCE"


def test_member_not_on_the_list_is_refused_on_its_field_when_recorded(tree, meeting):
    for member in (tree.wang, None):
        with pytest.raises(RuleViolation) as caught:
            record(meeting, member, "present")
        assert (caught.value.rule_id, caught.value.field) == ("MTG-ATTENDANCE", "member")


def test_nothing_is_recorded_when_the_meeting_is_cancelled(tree, meeting):
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=meeting, reason="改期")
    for call in (
        lambda: record(meeting, tree.zhang, "present"),
        lambda: services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=tree.wang),
    ):
        with pytest.raises(RuleViolation) as caught:
            call()
        assert caught.value.rule_id == "MTG-STATUS"


def test_final_minutes_freeze_every_line(tree, meeting, zhang_user, scope_of):
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=meeting).update(state="finalized")
    for call in (
        lambda: record(meeting, tree.zhang, "present"),
        lambda: services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=tree.wang),
        lambda: services.leave_request(
            scope=scope_of(zhang_user), actor=zhang_user, meeting=meeting, reason="出差"
        ),
    ):
        with pytest.raises(RuleViolation) as caught:
            call()
        assert caught.value.rule_id == "MTG-MINUTES-FINAL"


def test_recording_is_audited_with_the_status_before_and_after(tree, meeting):
    record(meeting, tree.zhang, "present")
    record(meeting, tree.zhang, "absent")
    with unscoped():
        event = AuditEvent.objects.unscoped_all().filter(action="attendance.record").latest("id")
    assert event.changes["status"] == ["present", "absent"]
    assert event.changes["member"] == tree.zhang.pk


def test_only_editors_of_the_org_record_attendance(tree, meeting, personas, scope_of):
    for username, error in (("secretary_b", NotFound), ("county_viewer", PermissionDenied)):
        user = getattr(personas, username)
        with pytest.raises(error):
            services.attendance_record(
                scope=scope_of(user), actor=user, meeting=meeting, member=tree.zhang, status="present"
            )
    user = personas.secretary_a
    services.attendance_record(
        scope=scope_of(user), actor=user, meeting=meeting, member=tree.zhang, status="present"
    )
    assert line(meeting, tree.zhang).recorded_by == user


# --- guests -------------------------------------------------------------------------------------------------


def test_guest_is_present_unexpected_and_outside_the_rate_when_added(tree, meeting):
    services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=tree.wang)
    got = line(meeting, tree.wang)
    assert (got.expected, got.voting, got.status) == (False, False, "present")
    record(meeting, tree.zhang, "present")
    record(meeting, tree.li, "absent")
    assert counts(meeting) == (2, 1, 0, 1, 1)
    rate = reads.org_rate(scope=SYSTEM, org=tree.a)
    assert (rate.present, rate.expected, rate.rate) == (1, 2, Decimal("50.00"))


def test_guest_only_ever_present_when_recorded(tree, meeting):
    services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=tree.wang)
    with pytest.raises(RuleViolation) as caught:
        record(meeting, tree.wang, "absent")
    assert caught.value.rule_id == "MTG-ATTENDANCE"


def test_member_on_the_list_is_not_added_again_as_a_guest(tree, meeting):
    services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=tree.wang)
    for member in (tree.zhang, tree.wang, None):
        with pytest.raises(RuleViolation) as caught:
            services.guest_add(scope=SYSTEM, actor=None, meeting=meeting, member=member)
        assert (caught.value.rule_id, caught.value.field) == ("MTG-ATTENDANCE", "member")


# --- leave --------------------------------------------------------------------------------------------------


def ask(user, meeting, scope_of, reason="出差", now=None):
    return services.leave_request(scope=scope_of(user), actor=user, meeting=meeting, reason=reason, now=now)


def morning():
    return timezone.make_aware(dt.datetime(2026, 11, 2, 9, 0))


def test_member_asks_leave_for_himself_before_the_start(tree, meeting, zhang_user, scope_of):
    got = ask(zhang_user, meeting, scope_of, now=morning())
    assert (got.member_id, got.leave_reason, got.leave_granted, got.status) == (
        tree.zhang.pk,
        "出差",
        None,
        "",
    )
    assert got.leave_requested_at == morning()
    assert counts(meeting) == (2, 0, 0, 0, 0)  # a request changes nothing until granted


def test_leave_is_refused_once_the_meeting_started(meeting, zhang_user, scope_of):
    started = timezone.make_aware(dt.datetime(2026, 11, 2, 14, 30))
    with pytest.raises(RuleViolation) as caught:
        ask(zhang_user, meeting, scope_of, now=started)
    assert caught.value.rule_id == "MTG-LEAVE"


def test_leave_is_refused_to_a_reader_who_is_not_on_the_list(meeting, personas, scope_of):
    with pytest.raises(RuleViolation) as caught:
        ask(personas.secretary_a, meeting, scope_of, now=morning())
    assert (caught.value.rule_id, caught.value.field) == ("MTG-LEAVE", "member")


def test_leave_finds_no_meeting_for_a_caller_outside_it(meeting, personas, scope_of):
    with pytest.raises(NotFound):
        ask(personas.secretary_b, meeting, scope_of, now=morning())


def test_granted_leave_excuses_the_member_with_his_reason(tree, meeting, zhang_user, personas, scope_of):
    asked = ask(zhang_user, meeting, scope_of, now=morning())
    secretary = personas.secretary_a
    got = services.leave_decide(scope=scope_of(secretary), actor=secretary, attendance=asked, grant=True)
    assert (got.status, got.reason, got.leave_granted, got.leave_decided_by) == (
        "excused",
        "出差",
        True,
        secretary,
    )
    assert counts(meeting) == (2, 0, 1, 0, 0)
    with pytest.raises(RuleViolation) as caught:  # decided once
        services.leave_decide(scope=scope_of(secretary), actor=secretary, attendance=asked, grant=False)
    assert caught.value.rule_id == "MTG-LEAVE"


def test_refused_leave_leaves_the_line_unrecorded_and_may_be_asked_again(tree, meeting, zhang_user, scope_of):
    asked = ask(zhang_user, meeting, scope_of, now=morning())
    got = services.leave_decide(scope=SYSTEM, actor=None, attendance=asked, grant=False)
    assert (got.status, got.leave_granted) == ("", False)
    again = ask(zhang_user, meeting, scope_of, reason="仍需出差", now=morning())
    assert (again.leave_reason, again.leave_granted) == ("仍需出差", None)


def test_pending_leave_is_not_asked_twice(meeting, zhang_user, scope_of):
    ask(zhang_user, meeting, scope_of, now=morning())
    with pytest.raises(RuleViolation) as caught:
        ask(zhang_user, meeting, scope_of, now=morning())
    assert caught.value.rule_id == "MTG-LEAVE"


def test_only_editors_decide_leave(tree, meeting, zhang_user, personas, scope_of):
    asked = ask(zhang_user, meeting, scope_of, now=morning())
    viewer = personas.county_viewer
    with pytest.raises(PermissionDenied):
        services.leave_decide(scope=scope_of(viewer), actor=viewer, attendance=asked, grant=True)
    with pytest.raises(NotFound):
        services.leave_decide(
            scope=scope_of(personas.secretary_b), actor=personas.secretary_b, attendance=asked, grant=True
        )


def test_leave_request_and_decision_are_audited(meeting, zhang_user, scope_of):
    asked = ask(zhang_user, meeting, scope_of, now=morning())
    services.leave_decide(scope=SYSTEM, actor=None, attendance=asked, grant=True)
    with unscoped():
        got = list(
            AuditEvent.objects.unscoped_all()
            .filter(action__startswith="attendance.leave")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert got == ["attendance.leave_request", "attendance.leave_decide"]


# --- rates --------------------------------------------------------------------------------------------------


def test_member_rate_counts_his_recorded_lines_in_the_period(tree, meeting):
    record(meeting, tree.zhang, "present")
    later = make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="第二次")
    record(later, tree.zhang, "absent")
    third = make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="第三次")
    record(third, tree.zhang, "absent")
    rate = reads.member_rate(tree.zhang, since=D(2026, 1, 1), until=D(2026, 12, 31))
    assert (rate.present, rate.absent, rate.rate) == (1, 2, Decimal("33.33"))
    assert reads.member_rate(tree.zhang, since=D(2027, 1, 1)).rate is None
    rates = reads.member_rates(scope=SYSTEM, org=tree.a, since=D(2026, 1, 1), until=D(2026, 12, 31))
    assert (rates[tree.zhang.pk].expected, rates[tree.li.pk].expected, rates[tree.li.pk].rate) == (3, 0, None)


def test_cancelled_meetings_do_not_count_in_the_rates(tree, meeting):
    record(meeting, tree.zhang, "present")
    other = make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="取消的")
    record(other, tree.zhang, "absent")
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=other, reason="改期")
    assert reads.member_rate(tree.zhang).rate == Decimal("100.00")
    assert reads.org_rate(scope=SYSTEM, org=tree.a).rate == Decimal("100.00")
