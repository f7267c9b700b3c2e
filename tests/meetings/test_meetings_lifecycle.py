"""A meeting's life (MTG-STATUS): changed while planned — its roster derived again while nothing is recorded,
a notice when its time or place moves —, marked held on a day not after today (MTG-DATES), cancelled with a
reason and a notice to those expected; never changed once cancelled, held or final. Each act is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Meeting, MeetingNotice, Minutes
from tests.factories import SYSTEM, make_meeting, make_member

pytestmark = pytest.mark.django_db
D = dt.date


def names(meeting) -> list[str]:
    with unscoped():
        return sorted(
            Attendance.objects.unscoped_all()
            .filter(meeting=meeting, expected=True)
            .values_list("member__name", flat=True)
        )


def notices(meeting) -> list[str]:
    with unscoped():
        return list(
            MeetingNotice.objects.unscoped_all().filter(meeting=meeting).values_list("text", flat=True)
        )


def fresh(meeting) -> Meeting:
    with unscoped():
        return Meeting.objects.unscoped_all().get(pk=meeting.pk)


def actions(meeting) -> list[str]:
    with unscoped():
        return list(
            AuditEvent.objects.unscoped_all()
            .filter(target_id=str(meeting.pk), action__startswith="meeting.")
            .order_by("id")
            .values_list("action", flat=True)
        )


@pytest.fixture
def planned(tree, today_is):
    today_is(D(2026, 11, 3))
    return make_meeting(tree.a, planned_on=D(2026, 11, 10), topic="十一月支部党员大会")


def test_topic_and_place_change_when_a_planned_meeting_is_updated(planned):
    meeting = services.meeting_update(
        scope=SYSTEM, actor=None, meeting=planned, topic="  新主题 ", place="三楼会议室"
    )
    assert (fresh(meeting).topic, fresh(meeting).place) == ("新主题", "三楼会议室")
    assert actions(planned) == ["meeting.create", "meeting.update"]
    assert any("三楼会议室" in text for text in notices(planned))


def test_nothing_is_written_when_an_update_changes_nothing(planned):
    services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, topic=planned.topic)
    assert actions(planned) == ["meeting.create"]


def test_roster_is_derived_again_when_the_kind_changes_and_nothing_is_recorded(tree, planned):
    services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, kind="party_lecture")
    # A lecture of branch A expects the same members; a lecture of the general branch would expect all three.
    assert names(planned) == ["张三", "李四"]
    make_member(
        tree.a, "赵六", admitted_on=D(2026, 11, 2), status="probationary"
    )  # after the roster was made
    services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, planned_on=D(2026, 11, 9))
    assert names(planned) == ["张三", "李四", "赵六"]
    assert fresh(planned).expected_count == 3


def test_roster_is_kept_when_the_date_changes_after_attendance_was_recorded(tree, planned):
    services.attendance_record(
        scope=SYSTEM, actor=None, meeting=planned, member=tree.li, status="excused", reason="出差"
    )
    make_member(tree.a, "赵六", admitted_on=D(2026, 11, 2), status="probationary")
    services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, planned_on=D(2026, 11, 9))
    assert names(planned) == ["张三", "李四"]
    with unscoped():
        event = AuditEvent.objects.unscoped_all().filter(action="meeting.update").latest("id")
    assert event.changes["roster_kept"] is True


def test_update_is_refused_when_the_org_does_not_hold_the_new_kind(planned):
    with pytest.raises(RuleViolation) as caught:
        services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, kind="group_meeting")
    assert (caught.value.rule_id, caught.value.field) == ("MTG-KIND", "kind")


def test_update_is_refused_when_the_end_is_before_the_start(planned):
    with pytest.raises(RuleViolation) as caught:
        services.meeting_update(
            scope=SYSTEM, actor=None, meeting=planned, starts_at=dt.time(15), ends_at=dt.time(14)
        )
    assert caught.value.rule_id == "MTG-DATES"


def test_update_is_refused_when_the_meeting_is_cancelled(planned):
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=planned, reason="上级临时通知")
    with pytest.raises(RuleViolation) as caught:
        services.meeting_update(scope=SYSTEM, actor=None, meeting=planned, topic="改")
    assert caught.value.rule_id == "MTG-STATUS"


def test_meeting_is_held_on_the_day_given_when_not_after_today(planned, today_is):
    today_is(D(2026, 11, 12))
    services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 11))
    meeting = fresh(planned)
    assert (meeting.status, meeting.held_on) == ("held", D(2026, 11, 11))
    assert actions(planned)[-1] == "meeting.hold"


def test_hold_is_refused_with_mtg_dates_when_the_day_is_after_today(planned):
    with pytest.raises(RuleViolation) as caught:
        services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 4))
    assert (caught.value.rule_id, caught.value.field) == ("MTG-DATES", "held_on")
    assert fresh(planned).status == "planned"


def test_hold_is_refused_when_the_meeting_was_already_held(planned):
    services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 3))
    with pytest.raises(RuleViolation) as caught:
        services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 3))
    assert caught.value.rule_id == "MTG-STATUS"


def test_cancelled_meeting_keeps_its_reason_and_tells_those_expected_when_cancelled(tree, planned):
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=planned, reason=" 上级临时通知 ")
    meeting = fresh(planned)
    assert (meeting.status, meeting.cancelled_reason) == ("cancelled", "上级临时通知")
    cancel = [t for t in notices(planned) if t.startswith("会议取消通知")]
    assert len(cancel) == 2 and "上级临时通知" in cancel[0]
    assert actions(planned)[-1] == "meeting.cancel"


def test_cancelled_meeting_is_never_held_when_asked(planned):
    services.meeting_cancel(scope=SYSTEM, actor=None, meeting=planned, reason="原因")
    with pytest.raises(RuleViolation) as caught:
        services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 3))
    assert caught.value.rule_id == "MTG-STATUS"


def test_cancel_is_refused_without_a_reason(planned):
    with pytest.raises(RuleViolation) as caught:
        services.meeting_cancel(scope=SYSTEM, actor=None, meeting=planned, reason=" ")
    assert (caught.value.rule_id, caught.value.field) == ("MTG-STATUS", "reason")


def test_held_meeting_is_not_cancelled_when_asked(planned):
    services.meeting_hold(scope=SYSTEM, actor=None, meeting=planned, held_on=D(2026, 11, 2))
    with pytest.raises(RuleViolation) as caught:
        services.meeting_cancel(scope=SYSTEM, actor=None, meeting=planned, reason="原因")
    assert caught.value.rule_id == "MTG-STATUS"


def test_final_minutes_refuse_every_change_of_the_meeting(planned):
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=planned).update(state="finalized")
    for call, kwargs in (
        (services.meeting_update, {"topic": "改"}),
        (services.meeting_cancel, {"reason": "原因"}),
        (services.meeting_hold, {"held_on": D(2026, 11, 3)}),
    ):
        with pytest.raises(RuleViolation) as caught:
            call(scope=SYSTEM, actor=None, meeting=planned, **kwargs)
        assert caught.value.rule_id == "MTG-MINUTES-FINAL"


def test_only_editors_of_the_org_change_a_meeting(planned, personas, scope_of):
    for username, error in (
        ("secretary_b", NotFound),
        ("member_b", NotFound),
        ("county_viewer", PermissionDenied),
    ):
        user = getattr(personas, username)
        with pytest.raises(error):
            services.meeting_cancel(scope=scope_of(user), actor=user, meeting=planned, reason="原因")
    user = personas.secretary_a
    services.meeting_cancel(scope=scope_of(user), actor=user, meeting=planned, reason="原因")
    assert fresh(planned).status == "cancelled"
