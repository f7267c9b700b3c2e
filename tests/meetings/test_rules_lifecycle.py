"""A meeting's life and a member's leave (MTG-STATUS, MTG-LEAVE, MTG-DATES for the held day): every status
against every act, the held day at today ±1, the leave's window at the start ±1 minute, reasons at their
length edges, and how an officer's line is marked on the meeting's day ±1."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules

D = dt.date
TODAY = D(2026, 11, 3)
START = dt.datetime(2026, 11, 5, 14, 30)


def refused(call, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call(*args, **kwargs)
    return caught.value


# --- MTG-STATUS ---------------------------------------------------------------------------------------------


def test_statuses_are_the_meeting_status_choices():
    from grassroots.meetings.choices import MeetingStatus

    assert set(rules.MEETING_STATUSES) == set(MeetingStatus.values)


@pytest.mark.parametrize(
    "call",
    [
        lambda s: rules.edit_check(s),
        lambda s: rules.cancel_check(s, "原因"),
        lambda s: rules.hold_check(s, TODAY, TODAY),
        lambda s: rules.record_check(s),
        lambda s: rules.leave_decide_check(status=s, pending=True, minutes_final=False),
    ],
)
def test_unknown_status_is_a_programming_error_when_checked(call):
    with pytest.raises(ValueError, match="unknown meeting status"):
        call("postponed")


def test_planned_meeting_is_edited_when_checked():
    rules.edit_check(rules.PLANNED)


@pytest.mark.parametrize(("status", "text"), [(rules.HELD, "已召开"), (rules.CANCELLED, "已取消")])
def test_edit_is_refused_when_the_meeting_is_not_planned(status, text):
    exc = refused(rules.edit_check, status)
    assert (exc.rule_id, exc.field) == ("MTG-STATUS", "status")
    assert text in exc.message and exc.message.endswith("（MTG-STATUS）")


@pytest.mark.parametrize("reason", ["临时任务", "x" * rules.CANCEL_REASON_MAX, "  有事  "])
def test_planned_meeting_is_cancelled_when_a_reason_is_given(reason):
    rules.cancel_check(rules.PLANNED, reason)


@pytest.mark.parametrize(("status", "text"), [(rules.HELD, "已召开"), (rules.CANCELLED, "已经取消")])
def test_cancel_is_refused_when_the_meeting_is_not_planned(status, text):
    exc = refused(rules.cancel_check, status, "原因")
    assert (exc.rule_id, exc.field) == ("MTG-STATUS", "status")
    assert text in exc.message


@pytest.mark.parametrize(
    ("reason", "text"), [("", "须说明原因"), ("   ", "须说明原因"), (None, "须说明原因"), ("x" * 201, "200")]
)
def test_cancel_is_refused_when_the_reason_is_missing_or_too_long(reason, text):
    exc = refused(rules.cancel_check, rules.PLANNED, reason)
    assert (exc.rule_id, exc.field) == ("MTG-STATUS", "reason")
    assert text in exc.message


@pytest.mark.parametrize("held_on", [TODAY, TODAY - dt.timedelta(days=1), D(2020, 1, 1)])
def test_planned_meeting_is_held_when_the_day_is_not_after_today(held_on):
    rules.hold_check(rules.PLANNED, held_on, TODAY)


def test_held_day_after_today_is_refused_with_mtg_dates_when_marked_held():
    exc = refused(rules.hold_check, rules.PLANNED, TODAY + dt.timedelta(days=1), TODAY)
    assert (exc.rule_id, exc.field) == ("MTG-DATES", "held_on")
    assert "2026年11月4日" in exc.message and exc.message.endswith("（MTG-DATES）")


@pytest.mark.parametrize(("status", "text"), [(rules.HELD, "已经标记"), (rules.CANCELLED, "已取消")])
def test_hold_is_refused_when_the_meeting_is_not_planned(status, text):
    exc = refused(rules.hold_check, status, TODAY, TODAY)
    assert (exc.rule_id, exc.field) == ("MTG-STATUS", "status")
    assert text in exc.message


@pytest.mark.parametrize("status", [rules.PLANNED, rules.HELD])
def test_attendance_is_recorded_when_the_meeting_is_not_cancelled(status):
    rules.record_check(status)


def test_nothing_is_recorded_when_the_meeting_is_cancelled():
    exc = refused(rules.record_check, rules.CANCELLED)
    assert (exc.rule_id, exc.field) == ("MTG-STATUS", "status")


@pytest.mark.parametrize(
    ("today", "method"),
    [
        (TODAY - dt.timedelta(days=1), rules.METHOD_SECRETARY),
        (TODAY, rules.METHOD_SECRETARY),
        (TODAY + dt.timedelta(days=1), rules.METHOD_LATE_ENTRY),
        (TODAY + dt.timedelta(days=400), rules.METHOD_LATE_ENTRY),
    ],
)
def test_officers_line_is_a_late_entry_only_when_recorded_after_the_meetings_day(today, method):
    assert rules.record_method(TODAY, today) == method


def test_methods_are_sign_in_method_choices():
    from grassroots.meetings.choices import SignInMethod

    assert {rules.METHOD_SECRETARY, rules.METHOD_LATE_ENTRY} <= set(SignInMethod.values)


@pytest.mark.parametrize(
    ("starts_at", "start"),
    [(dt.time(14, 30), dt.datetime(2026, 11, 5, 14, 30)), (None, dt.datetime(2026, 11, 5, 0, 0))],
)
def test_meeting_starts_at_its_time_or_the_days_beginning_when_computed(starts_at, start):
    assert rules.meeting_start(D(2026, 11, 5), starts_at) == start


# --- MTG-LEAVE ----------------------------------------------------------------------------------------------

LAWFUL = {
    "status": rules.PLANNED,
    "own": True,
    "expected": True,
    "attendance_status": "",
    "pending": False,
    "reason": "出差",
    "now": START - dt.timedelta(minutes=1),
    "starts": START,
}


def test_member_asks_leave_for_himself_when_before_the_start_with_a_reason():
    rules.leave_request_check(**LAWFUL)


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"own": False}, "member", "本人"),
        ({"expected": False}, "member", "不在本次会议的应到名单"),
        ({"status": rules.CANCELLED}, "status", "已取消"),
        ({"status": rules.HELD}, "status", "已经开始"),
        ({"now": START}, "status", "已经开始"),  # the start itself is too late
        ({"now": START + dt.timedelta(minutes=1)}, "status", "已经开始"),
        ({"pending": True}, "reason", "等待书记审批"),
        ({"attendance_status": "excused"}, "reason", "已经准假"),
        ({"attendance_status": "present"}, "reason", "已登记"),
        ({"attendance_status": "absent"}, "reason", "已登记"),
        ({"reason": ""}, "reason", "说明事由"),
        ({"reason": "  "}, "reason", "说明事由"),
        ({"reason": None}, "reason", "说明事由"),
        ({"reason": "x" * 201}, "reason", "200"),
    ],
)
def test_leave_request_is_refused_when_a_condition_fails(change, field, text):
    exc = refused(rules.leave_request_check, **(LAWFUL | change))
    assert (exc.rule_id, exc.field) == ("MTG-LEAVE", field)
    assert text in exc.message and exc.message.endswith("（MTG-LEAVE）")


def test_leave_reason_of_exactly_200_characters_is_taken_when_asked():
    rules.leave_request_check(**(LAWFUL | {"reason": "x" * rules.LEAVE_REASON_MAX}))


def test_leave_unknown_status_is_a_programming_error_when_asked():
    with pytest.raises(ValueError):
        rules.leave_request_check(**(LAWFUL | {"status": "postponed"}))


@pytest.mark.parametrize("status", [rules.PLANNED, rules.HELD])
def test_pending_leave_is_decided_when_the_minutes_are_not_final(status):
    rules.leave_decide_check(status=status, pending=True, minutes_final=False)


@pytest.mark.parametrize(
    ("status", "pending", "final", "field", "text"),
    [
        (rules.CANCELLED, True, False, "status", "已取消"),
        (rules.PLANNED, True, True, "grant", "已定稿"),
        (rules.HELD, False, False, "grant", "没有待审批"),
    ],
)
def test_leave_decision_is_refused_when_a_condition_fails(status, pending, final, field, text):
    exc = refused(rules.leave_decide_check, status=status, pending=pending, minutes_final=final)
    assert (exc.rule_id, exc.field) == ("MTG-LEAVE", field)
    assert text in exc.message


def test_granted_leave_excuses_the_member_with_his_reason_when_decided():
    assert rules.leave_outcome(True, "出差", "", "") == ("excused", "出差")
    assert rules.leave_outcome(True, "出差", "absent", "未到") == ("excused", "出差")


def test_refused_leave_leaves_the_line_as_it_was_when_decided():
    assert rules.leave_outcome(False, "出差", "", "") == ("", "")
    assert rules.leave_outcome(False, "出差", "present", "") == ("present", "")
