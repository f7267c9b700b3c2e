"""Sign-in (MTG-SIGN-IN): the rotating code (RFC 6238 test vectors through django_otp), the current and the
previous step accepted and nothing else, and the window at its minute boundaries."""

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.meetings import rules

UTC = dt.UTC
CST = dt.timezone(dt.timedelta(hours=8))
SECRET = b"12345678901234567890"  # RFC 4226 / 6238 test key


def at(seconds):
    return dt.datetime.fromtimestamp(seconds, UTC)


@pytest.mark.parametrize(
    ("seconds", "digits", "code"),
    [
        # RFC 6238 Appendix B (SHA-1), 8 digits.
        (59, 8, "94287082"),
        (1111111109, 8, "07081804"),
        (1111111111, 8, "14050471"),
        (1234567890, 8, "89005924"),
        (2000000000, 8, "69279037"),
        # RFC 4226 Appendix D counters 0 and 1, 6 digits (steps of 30 s).
        (0, 6, "755224"),
        (29, 6, "755224"),
        (30, 6, "287082"),
    ],
)
def test_sign_in_code_is_the_rfc_totp_when_computed(seconds, digits, code):
    assert rules.sign_in_code(SECRET, at(seconds), digits=digits) == code


def test_sign_in_code_is_zero_padded_when_short():
    assert rules.sign_in_code(SECRET, at(1111111109), digits=8).startswith("0")


def test_sign_in_code_is_the_same_when_the_time_zone_differs():
    moment = at(1234567890)
    assert rules.sign_in_code(SECRET, moment) == rules.sign_in_code(SECRET, moment.astimezone(CST))


@pytest.mark.parametrize("step", [30, 60])
@pytest.mark.parametrize(
    ("shown_step", "now_step", "accepted"),
    [
        (10, 10, True),  # the current step
        (10, 11, True),  # the step after: still accepted
        (10, 12, False),  # two steps later: stale
        (10, 20, False),
        (11, 10, False),  # a code of a future step
    ],
)
def test_sign_in_verify_accepts_the_current_and_previous_step_when_a_code_is_given(
    step, shown_step, now_step, accepted
):
    base = 1_700_000_000 // step * step
    code = rules.sign_in_code(SECRET, at(base + shown_step * step + 5), step_seconds=step)
    for offset in (0, step - 1):
        now = at(base + now_step * step + offset)
        assert rules.sign_in_verify(SECRET, code, now, step_seconds=step) is accepted


def test_sign_in_verify_refuses_when_the_secret_differs():
    code = rules.sign_in_code(SECRET, at(1_700_000_000))
    assert not rules.sign_in_verify(b"another secret of 20b", code, at(1_700_000_000))


@pytest.mark.parametrize(
    "code", ["", "12345", "1234567", "12345a", "１２３４５６", "-12345", "12 345", "+12345"], ids=repr
)
def test_sign_in_verify_refuses_when_the_code_is_malformed(code):
    assert not rules.sign_in_verify(SECRET, code, at(1_700_000_000))


def test_sign_in_verify_ignores_spaces_when_around_the_code():
    code = rules.sign_in_code(SECRET, at(1_700_000_000))
    assert rules.sign_in_verify(SECRET, f" {code}\n", at(1_700_000_000))


def test_sign_in_code_check_refuses_when_stale():
    code = rules.sign_in_code(SECRET, at(1_700_000_000))
    assert rules.sign_in_code_check(SECRET, code, at(1_700_000_000 + 30)) is None
    with pytest.raises(RuleViolation) as refused:
        rules.sign_in_code_check(SECRET, code, at(1_700_000_000 + 90))
    assert (refused.value.rule_id, refused.value.field) == ("MTG-SIGN-IN", "code")
    assert str(refused.value.message).endswith("（MTG-SIGN-IN）")


def test_naive_times_are_refused_when_given():
    naive = dt.datetime(2026, 3, 10, 9, 0)
    aware = naive.replace(tzinfo=CST)
    with pytest.raises(ValueError):
        rules.sign_in_code(SECRET, naive)
    with pytest.raises(ValueError):
        rules.sign_in_window(naive, None, aware)
    with pytest.raises(ValueError):
        rules.sign_in_window(naive, aware, aware)
    with pytest.raises(ValueError):
        rules.sign_in_window(aware, naive, aware)
    with pytest.raises(ValueError):
        rules.sign_in_window(aware, None, naive)


START = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CST)
END = dt.datetime(2026, 3, 10, 11, 0, tzinfo=CST)
MIN = dt.timedelta(minutes=1)
SEC = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("ends_at", "now", "state"),
    [
        (END, START - 30 * MIN - SEC, rules.WINDOW_NOT_YET),
        (END, START - 30 * MIN, rules.WINDOW_OPEN),
        (END, START, rules.WINDOW_OPEN),
        (END, END + 60 * MIN, rules.WINDOW_OPEN),
        (END, END + 60 * MIN + SEC, rules.WINDOW_CLOSED),
        # No end recorded: start + 3 h + 60 min.
        (None, START + 4 * 60 * MIN, rules.WINDOW_OPEN),
        (None, START + 4 * 60 * MIN + SEC, rules.WINDOW_CLOSED),
        # Another zone, the same instant.
        (END, (START - 30 * MIN).astimezone(UTC), rules.WINDOW_OPEN),
        (END, (START - 31 * MIN).astimezone(UTC), rules.WINDOW_NOT_YET),
    ],
)
def test_sign_in_window_when_now_is_at_a_boundary(ends_at, now, state):
    assert rules.sign_in_window(START, ends_at, now) == state


@pytest.mark.parametrize(
    ("before", "after", "now", "state"),
    [
        (0, 0, START - SEC, rules.WINDOW_NOT_YET),
        (0, 0, START, rules.WINDOW_OPEN),
        (0, 0, END, rules.WINDOW_OPEN),
        (0, 0, END + SEC, rules.WINDOW_CLOSED),
        (60, 15, START - 60 * MIN, rules.WINDOW_OPEN),
        (60, 15, END + 16 * MIN, rules.WINDOW_CLOSED),
    ],
)
def test_sign_in_window_follows_the_minutes_when_others_are_given(before, after, now, state):
    assert rules.sign_in_window(START, END, now, before, after) == state


def test_sign_in_bounds_are_the_opening_and_closing_when_asked():
    assert rules.sign_in_bounds(START, END) == (START - 30 * MIN, END + 60 * MIN)
    assert rules.sign_in_bounds(START, None) == (START - 30 * MIN, START + 240 * MIN)


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (START - 31 * MIN, "签到尚未开始，2026年3月10日 08:30起可以签到"),
        (END + 61 * MIN, "签到已于2026年3月10日 12:00结束"),
    ],
)
def test_sign_in_check_refuses_when_outside_the_window(now, words):
    with pytest.raises(RuleViolation) as refused:
        rules.sign_in_check(START, END, now)
    assert refused.value.rule_id == "MTG-SIGN-IN"
    assert words in str(refused.value.message)
    assert str(refused.value.message).endswith("（MTG-SIGN-IN）")


@pytest.mark.parametrize("now", [START - 30 * MIN, START, END + 60 * MIN])
def test_sign_in_check_allows_when_inside_the_window(now):
    assert rules.sign_in_check(START, END, now) is None
