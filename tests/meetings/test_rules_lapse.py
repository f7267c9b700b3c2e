"""The lapse watch (MEM-LAPSE-6M, organizational life): streaks at the warn and lapse boundaries, neutral months,
excused months (by status and by excusal range) and attended months, and the policy values."""

import datetime as dt

import pytest

from grassroots.meetings import rules
from grassroots.meetings.rules import Excusal, ExpectedMeeting

D = dt.date
NONE, WARN, LAPSE = rules.LEVEL_NONE, rules.LEVEL_WARN, rules.LEVEL_LAPSE
AS_OF = D(2026, 12, 15)


def month(n):
    """Month n of a run ending in December 2026: month(0) = December 2026, month(1) = November, …"""
    index = 2026 * 12 + 11 - n
    return D(index // 12, index % 12 + 1, 1)


def meeting(m, status, day=10, ident=None):
    return ExpectedMeeting(meeting_id=ident or f"{m:%Y%m}-{day}", held_on=m.replace(day=day), status=status)


def history(*codes):
    """Months from the oldest to December 2026: "x" missed (absent), "p" present, "e" excused, "." neutral
    (no meeting expected the member)."""
    out = {}
    for n, code in enumerate(reversed(codes)):
        m = month(n)
        status = {"x": "absent", "p": "present", "e": "excused"}.get(code)
        out[m] = [meeting(m, status)] if status else []
    return out


@pytest.mark.parametrize(
    ("codes", "streak", "level"),
    [
        (("p", "x", "x"), 2, NONE),
        (("p", "x", "x", "x"), 3, WARN),
        (("x", "x", "x", "x", "x"), 5, WARN),
        (("x", "x", "x", "x", "x", "x"), 6, LAPSE),
        (("x",) * 9, 9, LAPSE),
        # Neutral months neither count nor break the streak.
        (("p", "x", ".", "x"), 2, NONE),
        (("p", "x", ".", ".", "x", "x"), 3, WARN),
        (("x", "x", ".", "x", "x", ".", "x", "x"), 6, LAPSE),
        # The month of as_of neutral: the streak still ends there.
        (("x", "x", "x", "."), 3, WARN),
        # An excused month breaks the streak.
        (("x", "x", "x", "e", "x", "x"), 2, NONE),
        (("x", "x", "x", "x", "x", "e"), 0, NONE),
        # A month attended breaks the streak.
        (("x", "x", "x", "x", "x", "p", "x"), 1, NONE),
        (("x", "x", "x", "p", "x", "x", "x"), 3, WARN),
        (("x", "x", "x", "x", "x", "x", "p"), 0, NONE),
        # Nothing known.
        ((), 0, NONE),
        ((".", "."), 0, NONE),
    ],
)
def test_streak_and_level_when_months_are_missed(codes, streak, level):
    watch = rules.lapse_watch(history(*codes), [], AS_OF)
    assert (watch.streak, watch.level) == (streak, level)
    assert len(watch.evidence) == streak
    assert all(m.status == "absent" for m in watch.evidence)


def test_streak_names_its_months_and_evidence_when_three_are_missed():
    months = history("p", "x", ".", "x", "x")
    watch = rules.lapse_watch(months, [], AS_OF)
    assert watch.months == (month(0), month(1), month(3))
    assert watch.since == month(3)
    assert [m.held_on for m in watch.evidence] == [D(2026, 9, 10), D(2026, 11, 10), D(2026, 12, 10)]


def test_since_is_none_when_there_is_no_streak():
    watch = rules.lapse_watch(history("p"), [], AS_OF)
    assert (watch.streak, watch.since, watch.months, watch.evidence) == (0, None, (), ())


def test_months_after_as_of_are_ignored_when_given():
    months = history("x", "x", "x")
    months[D(2027, 1, 1)] = [meeting(D(2027, 1, 1), "present")]
    assert rules.lapse_watch(months, [], AS_OF).streak == 3


@pytest.mark.parametrize(
    ("statuses", "state"),
    [
        ((), rules.MONTH_NEUTRAL),
        (("absent",), rules.MONTH_MISSED),
        (("absent", "absent"), rules.MONTH_MISSED),
        (("absent", "present"), rules.MONTH_ATTENDED),
        (("excused", "present"), rules.MONTH_ATTENDED),
        (("absent", "excused"), rules.MONTH_EXCUSED),
        (("excused",), rules.MONTH_EXCUSED),
    ],
)
def test_month_state_when_the_member_was_expected_at_meetings(statuses, state):
    m = D(2026, 5, 1)
    meetings = [meeting(m, s, day=i + 1) for i, s in enumerate(statuses)]
    assert rules.month_state(meetings) == state


@pytest.mark.parametrize(
    ("start", "end", "streak"),
    [
        # The excusal covers November's meeting (10 November): the streak is December alone.
        (D(2026, 11, 1), D(2026, 11, 30), 1),
        (D(2026, 11, 10), D(2026, 11, 10), 1),
        (D(2026, 10, 1), D(2026, 11, 10), 1),
        # It ends before, or starts after, that meeting: November is missed.
        (D(2026, 11, 1), D(2026, 11, 9), 6),
        (D(2026, 11, 11), D(2026, 12, 9), 6),
        # It covers December's meeting (10 December): no streak at all.
        (D(2026, 12, 10), D(2026, 12, 10), 0),
        (D(2026, 11, 11), None, 0),
        (D(2026, 6, 1), None, 0),
    ],
)
@pytest.mark.parametrize("reason", rules.EXCUSAL_REASONS)
def test_excusal_range_breaks_the_streak_when_it_covers_a_meeting(reason, start, end, streak):
    months = history("x", "x", "x", "x", "x", "x")  # November 2026 is month(1)
    watch = rules.lapse_watch(months, [Excusal(start=start, end=end, reason=reason)], AS_OF)
    assert watch.streak == streak
    assert watch.level == {0: NONE, 1: NONE, 6: LAPSE}[streak]


def test_excusal_range_excuses_the_whole_streak_when_it_covers_every_meeting():
    months = history("x", "x", "x", "x", "x", "x")
    watch = rules.lapse_watch(months, [Excusal(D(2026, 1, 1), None, rules.EXCUSAL_ABROAD)], AS_OF)
    assert (watch.streak, watch.level) == (0, NONE)


@pytest.mark.parametrize(
    ("warn", "lapse", "codes", "level"),
    [
        (2, 4, ("p", "x"), NONE),
        (2, 4, ("p", "x", "x"), WARN),
        (2, 4, ("p", "x", "x", "x", "x"), LAPSE),
        (1, 1, ("p", "x"), LAPSE),
        (24, 24, ("x",) * 23, NONE),
        (24, 24, ("x",) * 24, LAPSE),
    ],
)
def test_level_follows_the_policy_when_it_sets_other_months(warn, lapse, codes, level):
    assert rules.lapse_watch(history(*codes), [], AS_OF, warn_months=warn, lapse_months=lapse).level == level


@pytest.mark.parametrize(("warn", "lapse"), [(0, 6), (-1, 6), (4, 3), (3, 25), (25, 25)])
def test_policy_is_refused_when_not_0_lt_warn_le_lapse_le_24(warn, lapse):
    with pytest.raises(ValueError):
        rules.lapse_watch({}, [], AS_OF, warn_months=warn, lapse_months=lapse)
    with pytest.raises(ValueError):
        rules.lapse_level(1, warn, lapse)
    with pytest.raises(ValueError):
        rules.MeetingPolicy(lapse_warn_months=warn, lapse_months=lapse)


@pytest.mark.parametrize(
    ("streak", "level"), [(0, NONE), (2, NONE), (3, WARN), (5, WARN), (6, LAPSE), (40, LAPSE)]
)
def test_lapse_level_uses_3_and_6_when_no_policy_is_given(streak, level):
    assert rules.lapse_level(streak) == level


def test_watch_is_refused_when_a_month_key_is_not_a_first_day():
    with pytest.raises(ValueError):
        rules.lapse_watch({D(2026, 12, 2): []}, [], AS_OF)


@pytest.mark.parametrize(
    ("build", "args"),
    [
        (Excusal, (D(2026, 1, 1), None, "holiday")),
        (Excusal, (D(2026, 1, 2), D(2026, 1, 1), rules.EXCUSAL_SICK)),
        (ExpectedMeeting, (1, D(2026, 1, 1), "late")),
    ],
)
def test_values_are_refused_when_malformed(build, args):
    with pytest.raises(ValueError):
        build(*args)


def test_month_start_is_the_first_day_when_given_any_day():
    assert rules.month_start(D(2026, 2, 28)) == D(2026, 2, 1)
