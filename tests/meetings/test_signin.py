"""Members sign themselves in at a meeting (MTG-SIGN-IN): by the code shown at the meeting or its QR code,
within the policy's window; the code rotates, so an old one stops working; each sign-in records how and when;
a member of another org is added as a guest; wrong codes are throttled so that the code cannot be guessed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.accounts.selectors import scope_for_user
from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Meeting, SignInFailure
from grassroots.meetings.services import signin as signin_services
from tests.factories import SYSTEM, make_meeting
from tests.support.signin import account_for, code_at, local, wrong_code

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 11, 2)
AT = local(DAY, 9, 5)  # the meeting runs 09:00–11:00: sign-in opens 08:30 and closes 12:00 (the defaults)
STEP = dt.timedelta(seconds=30)


@pytest.fixture
def meeting(tree):
    return make_meeting(
        tree.a, planned_on=DAY, starts_at=dt.time(9, 0), ends_at=dt.time(11, 0), topic="十一月支部党员大会"
    )


@pytest.fixture
def zhang(tree):
    """张三 of branch A (on the meeting's roster), signed in by his own account."""
    return account_for(tree.zhang, "zhang")


def sign(user, meeting, code, *, at=AT, method="code"):
    return services.sign_in(
        scope=scope_for_user(user), actor=user, meeting=meeting, code=code, method=method, at=at
    )


def refused(rule_id: str, call) -> RuleViolation:
    with pytest.raises(RuleViolation) as info:
        call()
    assert info.value.rule_id == rule_id, info.value.message
    return info.value


def row(meeting, member) -> Attendance | None:
    with unscoped():
        return Attendance.objects.unscoped_all().filter(meeting=meeting, member=member).first()


def fresh(meeting) -> Meeting:
    with unscoped():
        return Meeting.objects.unscoped_all().get(pk=meeting.pk)


def sign_in_events() -> int:
    with unscoped():
        return AuditEvent.objects.unscoped_all().filter(action="meeting.sign_in").count()


# --- signing in -----------------------------------------------------------------------------------------


def test_member_is_recorded_present_with_method_and_time_when_signed_in_by_code(tree, meeting, zhang):
    attendance = sign(zhang, meeting, code_at(meeting, AT))
    stored = row(meeting, tree.zhang)
    assert (stored.status, stored.method, stored.signed_at, stored.expected) == ("present", "code", AT, True)
    assert attendance.pk == stored.pk and stored.recorded_by_id == zhang.pk
    assert sign_in_events() == 1


def test_method_qr_is_recorded_when_signed_in_by_the_qr_code(tree, meeting, zhang):
    sign(zhang, meeting, code_at(meeting, AT), method="qr")
    assert row(meeting, tree.zhang).method == "qr"


def test_stored_counts_follow_when_a_member_signs_in(tree, meeting, zhang):
    assert (fresh(meeting).expected_count, fresh(meeting).present_count) == (2, 0)
    sign(zhang, meeting, code_at(meeting, AT))
    assert (fresh(meeting).expected_count, fresh(meeting).present_count, fresh(meeting).guest_count) == (
        2,
        1,
        0,
    )


def test_code_of_the_current_step_is_accepted_when_entered(tree, meeting, zhang):
    sign(zhang, meeting, code_at(meeting, AT))
    assert row(meeting, tree.zhang).status == "present"


def test_code_of_the_previous_step_is_accepted_when_entered_late(tree, meeting, zhang):
    sign(zhang, meeting, code_at(meeting, AT - STEP))
    assert row(meeting, tree.zhang).status == "present"


def test_code_two_steps_old_is_refused_when_entered(tree, meeting, zhang):
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, AT - 2 * STEP)))
    assert error.field == "code" and "已过期" in error.message
    assert row(meeting, tree.zhang).status == ""
    assert fresh(meeting).present_count == 0 and sign_in_events() == 0


def test_code_typed_with_full_width_digits_and_spaces_is_accepted(tree, meeting, zhang):
    code = code_at(meeting, AT)
    typed = " ".join(chr(0xFF10 + int(d)) for d in code)  # １ ２ ３ … from a Chinese keyboard
    sign(zhang, meeting, typed)
    assert row(meeting, tree.zhang).status == "present"


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        (local(DAY, 8, 29, 59), False),  # 30 minutes before 09:00, less a second
        (local(DAY, 8, 30), True),
        (local(DAY, 12, 0), True),  # 60 minutes after 11:00
        (local(DAY, 12, 0, 1), False),
    ],
)
def test_window_of_the_policy_bounds_sign_in_when_signed_in_at(tree, meeting, zhang, at, accepted):
    call = lambda: sign(zhang, meeting, code_at(meeting, at), at=at)  # noqa: E731
    if accepted:
        call()
        assert row(meeting, tree.zhang).status == "present"
    else:
        error = refused("MTG-SIGN-IN", call)
        assert ("08:30" if at.hour == 8 else "12:00") in error.message
        assert row(meeting, tree.zhang).status == ""


def test_window_set_by_the_policy_is_used_when_signed_in(tree, meeting, zhang):
    services.policy_set(
        scope=SYSTEM,
        actor=None,
        org=tree.county,
        effective_from=D(2026, 1, 1),
        sign_in_opens_before_minutes=10,
        sign_in_closes_after_minutes=15,
    )
    early = local(DAY, 8, 45)
    refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, early), at=early))
    late = local(DAY, 11, 16)
    refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, late), at=late))
    sign(zhang, meeting, code_at(meeting, local(DAY, 8, 50)), at=local(DAY, 8, 50))
    assert row(meeting, tree.zhang).status == "present"


def test_code_step_set_by_the_policy_rotates_the_code_when_signed_in(tree, meeting, zhang):
    services.policy_set(
        scope=SYSTEM, actor=None, org=tree.a, effective_from=D(2026, 1, 1), code_step_seconds=60
    )
    old = AT - dt.timedelta(seconds=120)
    refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, old, 60)))
    sign(zhang, meeting, code_at(meeting, AT - dt.timedelta(seconds=60), 60))
    assert row(meeting, tree.zhang).status == "present"


def test_meeting_without_a_start_time_opens_for_its_whole_day_when_signed_in(tree, zhang):
    meeting = make_meeting(tree.a, planned_on=DAY)
    refused(
        "MTG-SIGN-IN", lambda: sign(zhang, meeting, "123456", at=local(DAY - dt.timedelta(days=1), 23, 59))
    )
    at = local(DAY, 20, 0)
    sign(zhang, meeting, code_at(meeting, at), at=at)
    assert row(meeting, tree.zhang).status == "present"


def test_sign_in_is_refused_when_the_meeting_is_cancelled(tree, meeting, zhang):
    with unscoped():
        Meeting.objects.unscoped_all().filter(pk=meeting.pk).update(status="cancelled")
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, AT)))
    assert "取消" in error.message
    assert row(meeting, tree.zhang).status == ""


def test_sign_in_is_refused_when_the_minutes_are_final(tree, meeting, zhang):
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="会议记录")
    services.minutes_finalize(scope=SYSTEM, actor=None, meeting=meeting, today=DAY)
    refused("MTG-MINUTES-FINAL", lambda: sign(zhang, meeting, code_at(meeting, AT)))
    assert row(meeting, tree.zhang).status == "absent"


def test_second_sign_in_is_refused_and_changes_nothing_when_already_signed_in(tree, meeting, zhang):
    sign(zhang, meeting, code_at(meeting, AT), method="qr")
    later = AT + dt.timedelta(minutes=10)
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, later), at=later))
    assert "已于09:05签到" in error.message
    stored = row(meeting, tree.zhang)
    assert (stored.method, stored.signed_at) == ("qr", AT)
    assert sign_in_events() == 1 and fresh(meeting).present_count == 1


def test_excused_member_is_recorded_present_when_they_come_and_sign_in(tree, meeting, zhang):
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting, member=tree.zhang).update(
            status="excused", reason="出差"
        )
    services.counts_refresh(meeting)
    sign(zhang, meeting, code_at(meeting, AT))
    assert row(meeting, tree.zhang).status == "present"
    assert (fresh(meeting).present_count, fresh(meeting).excused_count) == (1, 0)


def test_member_of_another_org_is_added_as_a_guest_when_signed_in(tree, meeting):
    wang = account_for(tree.wang, "wang")  # branch B: a mobile member at branch A's meeting
    sign(wang, meeting, code_at(meeting, AT), method="qr")
    guest = row(meeting, tree.wang)
    assert (guest.expected, guest.voting, guest.status, guest.method) == (False, False, "present", "qr")
    stored = fresh(meeting)
    assert (stored.expected_count, stored.present_count, stored.guest_count) == (2, 0, 1)


def test_account_without_a_member_record_is_refused_when_signing_in(tree, meeting, personas):
    error = refused("MTG-SIGN-IN", lambda: sign(personas.secretary_a, meeting, code_at(meeting, AT)))
    assert "党员档案" in error.message
    with unscoped():
        assert not Attendance.objects.unscoped_all().filter(meeting=meeting, status="present").exists()


def test_member_off_the_roll_is_refused_when_not_expected_and_signing_in(tree, meeting):
    wang = account_for(tree.wang, "wang")
    with unscoped():
        type(tree.wang).objects.unscoped_all().filter(pk=tree.wang.pk).update(status="transferred_out")
    error = refused("MTG-SIGN-IN", lambda: sign(wang, meeting, code_at(meeting, AT)))
    assert "应到名单" in error.message
    assert row(meeting, tree.wang) is None


def test_secretary_method_is_refused_when_a_member_signs_in_themselves(tree, meeting, zhang):
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, AT), method="secretary"))
    assert error.field == "method"


# --- the throttle ---------------------------------------------------------------------------------------


def test_right_code_is_refused_for_the_rest_of_the_step_when_five_wrong_codes_were_entered(
    tree, meeting, zhang
):
    step_start = local(DAY, 9, 5, 0)  # 09:05:00 starts a step (Unix time is a multiple of 30 there)
    for second in range(5):
        at = step_start + dt.timedelta(seconds=second)
        refused("MTG-SIGN-IN", lambda at=at: sign(zhang, meeting, wrong_code(meeting, at), at=at))
    at = step_start + dt.timedelta(seconds=10)
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, at), at=at))
    assert "次数过多" in error.message and "20秒" in error.message
    assert row(meeting, tree.zhang).status == ""
    next_step = step_start + STEP
    sign(zhang, meeting, code_at(meeting, next_step), at=next_step)
    assert row(meeting, tree.zhang).status == "present"


def test_wrong_codes_are_kept_when_the_refusal_rolls_back(tree, meeting, zhang):
    refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, wrong_code(meeting, AT)))
    with unscoped():
        failures = list(SignInFailure.objects.unscoped_all().filter(meeting=meeting, user=zhang))
    assert len(failures) == 1 and failures[0].at == AT


def test_member_can_no_longer_sign_in_themselves_when_twenty_wrong_codes_were_entered(tree, meeting, zhang):
    for n in range(signin_services.WRONG_PER_MEETING):
        at = AT + n * STEP
        refused("MTG-SIGN-IN", lambda at=at: sign(zhang, meeting, wrong_code(meeting, at), at=at))
    at = AT + 30 * STEP
    error = refused("MTG-SIGN-IN", lambda: sign(zhang, meeting, code_at(meeting, at), at=at))
    assert "联系支部书记" in error.message
    assert row(meeting, tree.zhang).status == ""


def test_throttle_counts_each_account_apart_when_wrong_codes_are_entered(tree, meeting, zhang):
    li = account_for(tree.li, "li")
    for second in range(5):
        at = AT + dt.timedelta(seconds=second)
        refused("MTG-SIGN-IN", lambda at=at: sign(zhang, meeting, wrong_code(meeting, at), at=at))
    at = AT + dt.timedelta(seconds=6)
    sign(li, meeting, code_at(meeting, at), at=at)
    assert row(meeting, tree.li).status == "present"


# --- the screen's code ----------------------------------------------------------------------------------


def test_screen_shows_the_current_code_its_expiry_and_qr_target_when_open(tree, meeting, personas):
    user = personas.secretary_a
    screen = services.sign_in_screen(scope=scope_for_user(user), actor=user, meeting=meeting, at=AT)
    assert screen.state == "open" and screen.code == code_at(meeting, AT)
    assert screen.refresh_at == local(DAY, 9, 5, 30) and screen.expires_at == local(DAY, 9, 6)
    assert screen.url == f"/meetings/{meeting.pk}/sign-in/?c={screen.code}"
    assert screen.seconds_left == 30


@pytest.mark.parametrize(("at", "state"), [(local(DAY, 8, 0), "not_yet"), (local(DAY, 13, 0), "closed")])
def test_screen_shows_no_code_when_the_window_is_not_open(tree, meeting, personas, at, state):
    user = personas.secretary_a
    screen = services.sign_in_screen(scope=scope_for_user(user), actor=user, meeting=meeting, at=at)
    assert (screen.state, screen.code, screen.url) == (state, None, None)


def test_screen_shows_no_code_when_the_meeting_is_cancelled(tree, meeting, personas):
    with unscoped():
        Meeting.objects.unscoped_all().filter(pk=meeting.pk).update(status="cancelled")
    user = personas.secretary_a
    screen = services.sign_in_screen(scope=scope_for_user(user), actor=user, meeting=fresh(meeting), at=AT)
    assert (screen.state, screen.code) == ("cancelled", None)


def test_convener_sees_the_code_by_their_own_account_when_holding_only_a_member_grant(tree, zhang):
    meeting = make_meeting(tree.a, planned_on=DAY, starts_at=dt.time(9, 0), convener=tree.zhang)
    screen = services.sign_in_screen(scope=scope_for_user(zhang), actor=zhang, meeting=meeting, at=AT)
    assert screen.code == code_at(meeting, AT)


def test_code_is_not_shown_to_a_member_who_neither_convenes_nor_records(tree, meeting, zhang):
    with pytest.raises(PermissionDenied):
        services.sign_in_screen(scope=scope_for_user(zhang), actor=zhang, meeting=meeting, at=AT)


def test_code_is_not_found_for_an_officer_of_another_branch(tree, meeting, personas):
    user = personas.secretary_b
    with pytest.raises(NotFound):
        services.sign_in_screen(scope=scope_for_user(user), actor=user, meeting=meeting, at=AT)
