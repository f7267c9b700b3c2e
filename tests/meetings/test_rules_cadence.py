"""Cadence (MTG-GENERAL-Q … MTG-TALK-Y): periods and their boundaries, who owes what, the share owed by an org
that begins or ends within a period, the state of each period, and the deadline on the last working day."""

import datetime as dt
import itertools

import pytest

from grassroots.core.workdays import CHINA, WeekdayCalendar
from grassroots.meetings import rules
from grassroots.meetings.rules import (
    BEHIND,
    DONE,
    DUE,
    MONTH,
    NOT_REQUIRED,
    QUARTER,
    YEAR,
    MeetingPolicy,
    OrgFacts,
    Period,
)

D = dt.date


def P(unit, start, end):
    return Period(start=start, end=end, unit=unit)


@pytest.mark.parametrize(
    ("unit", "day", "start", "end"),
    [
        (MONTH, D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 31)),
        (MONTH, D(2026, 2, 28), D(2026, 2, 1), D(2026, 2, 28)),
        (MONTH, D(2028, 2, 29), D(2028, 2, 1), D(2028, 2, 29)),
        (MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (QUARTER, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
        (QUARTER, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
        (QUARTER, D(2026, 9, 30), D(2026, 7, 1), D(2026, 9, 30)),
        (QUARTER, D(2026, 10, 1), D(2026, 10, 1), D(2026, 12, 31)),
        (YEAR, D(2026, 1, 1), D(2026, 1, 1), D(2026, 12, 31)),
        (YEAR, D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_period_of_gives_the_calendar_period_when_a_day_is_given(unit, day, start, end):
    period = rules.period_of(unit, day)
    assert period == P(unit, start, end)
    assert period.contains(day)
    assert period.days == (end - start).days + 1


def test_period_of_refuses_when_the_unit_is_unknown():
    with pytest.raises(ValueError):
        rules.period_of("week", D(2026, 1, 1))


@pytest.mark.parametrize(("unit", "count"), [(MONTH, 12), (QUARTER, 4), (YEAR, 1)])
def test_periods_in_year_cover_the_year_without_gap_when_listed(unit, count):
    periods = rules.periods_in_year(unit, 2026)
    assert len(periods) == count
    assert periods[0].start == D(2026, 1, 1)
    assert periods[-1].end == D(2026, 12, 31)
    for before, after in itertools.pairwise(periods):
        assert after.start == before.end + dt.timedelta(days=1)
        assert rules.next_period(before) == after
        assert rules.previous_period(after) == before


@pytest.mark.parametrize(
    ("period", "following"),
    [
        (P(MONTH, D(2026, 12, 1), D(2026, 12, 31)), P(MONTH, D(2027, 1, 1), D(2027, 1, 31))),
        (P(QUARTER, D(2026, 10, 1), D(2026, 12, 31)), P(QUARTER, D(2027, 1, 1), D(2027, 3, 31))),
        (P(YEAR, D(2026, 1, 1), D(2026, 12, 31)), P(YEAR, D(2027, 1, 1), D(2027, 12, 31))),
    ],
)
def test_next_and_previous_cross_the_year_when_at_its_end(period, following):
    assert period.next() == following
    assert following.previous() == period


@pytest.mark.parametrize(
    ("held_on", "quarter_start"),
    [
        (D(2026, 3, 31), D(2026, 1, 1)),
        (D(2026, 4, 1), D(2026, 4, 1)),
        (D(2026, 1, 1), D(2026, 1, 1)),
        (D(2026, 12, 31), D(2026, 10, 1)),
    ],
)
def test_meeting_counts_for_the_quarter_containing_it_when_held_at_a_boundary(held_on, quarter_start):
    assert rules.count_held([(rules.GENERAL, held_on)]) == {(rules.GENERAL, quarter_start): 1}


def test_count_held_groups_by_kind_and_period_when_many_are_given():
    held = [
        (rules.GENERAL, D(2026, 1, 5)),
        (rules.GENERAL, D(2026, 3, 31)),
        (rules.THEMED_DAY, D(2026, 3, 31)),
        (rules.TALK, D(2026, 6, 1)),
        ("reading_session", D(2026, 3, 1)),  # no rule counts it
    ]
    assert rules.count_held(held) == {
        (rules.GENERAL, D(2026, 1, 1)): 2,
        (rules.THEMED_DAY, D(2026, 3, 1)): 1,
        (rules.TALK, D(2026, 1, 1)): 1,
    }


@pytest.mark.parametrize(
    ("rule_id", "kind", "unit"),
    [
        ("MTG-GENERAL-Q", rules.GENERAL, QUARTER),
        ("MTG-COMMITTEE-M", rules.COMMITTEE, MONTH),
        ("MTG-GROUP-M", rules.GROUP, MONTH),
        ("MTG-LECTURE-Q", rules.LECTURE, QUARTER),
        ("MTG-THEMED-DAY-M", rules.THEMED_DAY, MONTH),
        ("MTG-ORG-LIFE-Y", rules.ORG_LIFE, YEAR),
        ("MTG-APPRAISAL-Y", rules.APPRAISAL, YEAR),
        ("MTG-TALK-Y", rules.TALK, YEAR),
    ],
)
def test_table_names_kind_and_unit_when_read_by_rule_id(rule_id, kind, unit):
    rule = rules.cadence_rule(rule_id)
    assert (rule.kind, rule.unit, rule.count) == (kind, unit, 1)
    assert rule_id in rules.CADENCE_RULE_IDS


def test_cadence_rule_refuses_when_the_id_is_unknown():
    with pytest.raises(KeyError):
        rules.cadence_rule("MTG-NOPE")


@pytest.mark.parametrize("lectures", [1, 2, 4])
def test_lecture_count_is_the_policys_when_a_policy_is_given(lectures):
    policy = MeetingPolicy(lectures_per_quarter=lectures)
    assert rules.cadence_rule("MTG-LECTURE-Q", policy).count == lectures
    assert rules.cadence_rule("MTG-GENERAL-Q", policy).count == 1


B, GB, C, WC, G = (
    rules.ORG_BRANCH,
    rules.ORG_GENERAL_BRANCH,
    rules.ORG_COMMITTEE,
    rules.ORG_WORKING_COMMITTEE,
    rules.ORG_GROUP,
)
BRANCH_RULES = (
    "MTG-GENERAL-Q",
    "MTG-LECTURE-Q",
    "MTG-THEMED-DAY-M",
    "MTG-ORG-LIFE-Y",
    "MTG-APPRAISAL-Y",
    "MTG-TALK-Y",
)


@pytest.mark.parametrize(
    ("org_kind", "has_committee", "owed"),
    [
        (B, False, set(BRANCH_RULES)),
        (B, True, {*BRANCH_RULES, "MTG-COMMITTEE-M"}),
        (G, False, {"MTG-GROUP-M"}),
        (G, True, {"MTG-GROUP-M"}),
        (GB, False, set()),
        (GB, True, {"MTG-COMMITTEE-M"}),
        (C, True, {"MTG-COMMITTEE-M"}),
        (C, False, set()),
        (WC, True, {"MTG-COMMITTEE-M"}),
    ],
)
def test_applies_names_the_rules_owed_when_given_org_kind_and_committee(org_kind, has_committee, owed):
    got = {r.rule_id for r in rules.CADENCE_RULES if rules.applies(r, org_kind, has_committee)}
    assert got == owed


FEB = P(MONTH, D(2026, 2, 1), D(2026, 2, 28))
MAR = P(MONTH, D(2026, 3, 1), D(2026, 3, 31))
Q1 = P(QUARTER, D(2026, 1, 1), D(2026, 3, 31))
Y2026 = P(YEAR, D(2026, 1, 1), D(2026, 12, 31))


@pytest.mark.parametrize(
    ("count", "period", "existed_from", "existed_until", "required"),
    [
        # The whole period: the count.
        (1, FEB, None, None, 1),
        (3, Q1, None, None, 3),
        # February has 28 days: 14 is half (owed), 13 is not.
        (1, FEB, D(2026, 2, 15), None, 1),
        (1, FEB, D(2026, 2, 16), None, 0),
        (1, FEB, None, D(2026, 2, 14), 1),
        (1, FEB, None, D(2026, 2, 13), 0),
        # A group formed on 20 February owes March, not February.
        (1, FEB, D(2026, 2, 20), None, 0),
        (1, MAR, D(2026, 2, 20), None, 1),
        # Formed after the period, or ended before it: nothing.
        (1, FEB, D(2026, 3, 1), None, 0),
        (1, MAR, None, D(2026, 2, 28), 0),
        # The year 2026 has 365 days: 183 owed (2 July on), 182 not (3 July on); August: not.
        (1, Y2026, D(2026, 7, 2), None, 1),
        (1, Y2026, D(2026, 7, 3), None, 0),
        (1, Y2026, D(2026, 8, 1), None, 0),
        # Ended mid-year: its share.
        (1, Y2026, None, D(2026, 7, 2), 1),
        (1, Y2026, None, D(2026, 7, 1), 0),
        # A count of 3 per quarter (90 days): 45 days → 1.5 → 2; 44 days → 1.47 → 1; 15 days → 0.5 → 1.
        (3, Q1, D(2026, 2, 15), None, 2),
        (3, Q1, D(2026, 2, 16), None, 1),
        (3, Q1, D(2026, 3, 17), None, 1),
        (3, Q1, D(2026, 3, 18), None, 0),
        # Began and ended inside the period.
        (1, MAR, D(2026, 3, 5), D(2026, 3, 20), 1),
        (1, MAR, D(2026, 3, 5), D(2026, 3, 19), 0),
        (0, MAR, None, None, 0),
    ],
)
def test_required_in_is_the_share_rounded_half_up_when_the_org_existed_part_of_the_period(
    count, period, existed_from, existed_until, required
):
    assert rules.required_in(count, period, existed_from, existed_until) == required


def test_required_in_refuses_when_the_count_is_negative():
    with pytest.raises(ValueError):
        rules.required_in(-1, FEB)


def _cells(cells, rule_id):
    return [c for c in cells if c.rule_id == rule_id]


def test_cadence_year_lists_periods_up_to_today_when_the_year_is_current():
    branch = OrgFacts(kind=B)
    cells = rules.cadence_year(branch, {}, year=2026, today=D(2026, 5, 10))
    assert [c.period.start.month for c in _cells(cells, "MTG-THEMED-DAY-M")] == [1, 2, 3, 4, 5]
    assert [c.period.start.month for c in _cells(cells, "MTG-GENERAL-Q")] == [1, 4]
    assert len(_cells(cells, "MTG-ORG-LIFE-Y")) == 1
    assert {c.rule_id for c in cells} == set(BRANCH_RULES)


@pytest.mark.parametrize(
    ("today", "held", "state", "behind", "short"),
    [
        # Q1 is open until 31 March: due, not behind.
        (D(2026, 3, 31), {}, DUE, 0, 1),
        (D(2026, 4, 1), {}, BEHIND, 1, 1),
        (D(2026, 3, 31), {(rules.GENERAL, D(2026, 1, 1)): 1}, DONE, 0, 0),
        (D(2026, 4, 1), {(rules.GENERAL, D(2026, 1, 1)): 2}, DONE, 0, 0),
    ],
)
def test_quarter_state_is_due_until_it_ends_when_not_held(today, held, state, behind, short):
    cells = rules.cadence_year(OrgFacts(kind=B), held, year=2026, today=today)
    q1 = _cells(cells, "MTG-GENERAL-Q")[0]
    assert (q1.state, q1.behind, q1.short, q1.required) == (state, behind, short, 1)


def test_meeting_on_31_march_counts_for_q1_and_on_1_april_for_q2_when_counted():
    held = rules.count_held([(rules.GENERAL, D(2026, 3, 31)), (rules.GENERAL, D(2026, 4, 1))])
    cells = _cells(
        rules.cadence_year(OrgFacts(kind=B), held, year=2026, today=D(2026, 12, 31)), "MTG-GENERAL-Q"
    )
    assert [(c.period.start, c.state) for c in cells] == [
        (D(2026, 1, 1), DONE),
        (D(2026, 4, 1), DONE),
        (D(2026, 7, 1), BEHIND),
        (D(2026, 10, 1), DUE),
    ]


def test_group_formed_mid_quarter_owes_march_not_february_when_monthly():
    group = OrgFacts(kind=G, existed_from=D(2026, 2, 20))
    cells = rules.cadence_year(group, {}, year=2026, today=D(2026, 4, 15))
    assert [(c.period.start.month, c.state) for c in cells] == [
        (1, NOT_REQUIRED),
        (2, NOT_REQUIRED),
        (3, BEHIND),
        (4, DUE),
    ]


def test_branch_formed_in_august_owes_no_org_life_meeting_when_judged_that_year():
    branch = OrgFacts(kind=B, existed_from=D(2026, 8, 1))
    cells = rules.cadence_year(branch, {}, year=2026, today=D(2027, 1, 10))
    (org_life,) = _cells(cells, "MTG-ORG-LIFE-Y")
    assert (org_life.required, org_life.state, org_life.behind) == (0, NOT_REQUIRED, 0)
    # Its quarters: Q3 has 92 days, 61 of them from 1 August: owed; Q1, Q2 not.
    general = [c.state for c in _cells(cells, "MTG-GENERAL-Q")]
    assert general == [NOT_REQUIRED, NOT_REQUIRED, BEHIND, BEHIND]


@pytest.mark.parametrize(
    ("ended", "states"),
    [
        # Ended on 14 February (half of February): owes January and February, nothing after.
        (D(2026, 2, 14), [BEHIND, BEHIND, NOT_REQUIRED, NOT_REQUIRED]),
        (D(2026, 2, 13), [BEHIND, NOT_REQUIRED, NOT_REQUIRED, NOT_REQUIRED]),
    ],
)
def test_org_ended_mid_period_owes_its_share_when_judged(ended, states):
    group = OrgFacts(kind=G, existed_until=ended)
    cells = rules.cadence_year(group, {}, year=2026, today=D(2026, 4, 30))
    assert [c.state for c in cells] == states


def test_committee_meeting_is_owed_for_the_committees_term_when_it_took_office_mid_year():
    branch = OrgFacts(
        kind=B,
        existed_from=D(2020, 1, 1),
        has_committee=True,
        committee_from=D(2026, 3, 20),
        committee_until=None,
    )
    cells = _cells(rules.cadence_year(branch, {}, year=2026, today=D(2026, 5, 1)), "MTG-COMMITTEE-M")
    assert [c.required for c in cells] == [0, 0, 0, 1, 1]


def test_committee_meeting_stops_being_owed_when_the_committee_left_office():
    org = OrgFacts(kind=GB, has_committee=True, committee_until=D(2026, 2, 10), existed_until=D(2026, 12, 31))
    cells = rules.cadence_year(org, {}, year=2026, today=D(2026, 3, 15))
    assert [c.required for c in cells] == [1, 0, 0]


def test_committee_window_keeps_the_org_bounds_when_the_committee_dates_are_wider():
    org = OrgFacts(
        kind=C,
        existed_from=D(2026, 2, 1),
        existed_until=D(2026, 2, 28),
        has_committee=True,
        committee_from=D(2025, 1, 1),
        committee_until=D(2027, 1, 1),
    )
    cells = rules.cadence_year(org, {}, year=2026, today=D(2026, 3, 15))
    assert [c.required for c in cells] == [0, 1, 0]


def test_org_without_committee_owes_no_committee_meeting_when_it_is_a_general_branch():
    assert rules.cadence_year(OrgFacts(kind=GB), {}, year=2026, today=D(2026, 12, 31)) == []


@pytest.mark.parametrize(("year", "count"), [(2027, 0), (2025, 12)])
def test_cadence_year_lists_nothing_or_everything_when_the_year_is_future_or_past(year, count):
    cells = rules.cadence_year(OrgFacts(kind=G), {}, year=year, today=D(2026, 6, 1))
    assert len(cells) == count
    assert all(c.state in {BEHIND} for c in cells)


def test_lecture_needs_the_policy_count_when_the_policy_asks_for_two():
    policy = MeetingPolicy(lectures_per_quarter=2)
    held = {(rules.LECTURE, D(2026, 1, 1)): 1}
    cells = rules.cadence_year(OrgFacts(kind=B), held, year=2026, today=D(2026, 4, 1), policy=policy)
    (q1, q2) = _cells(cells, "MTG-LECTURE-Q")
    assert (q1.required, q1.held, q1.state, q1.behind) == (2, 1, BEHIND, 1)
    assert (q2.required, q2.held, q2.state, q2.behind, q2.short) == (2, 0, DUE, 0, 2)


@pytest.mark.parametrize(
    ("period", "due"),
    [
        # October 2026 ends on Saturday 31 October: due Friday 30 October.
        (P(MONTH, D(2026, 10, 1), D(2026, 10, 31)), D(2026, 10, 30)),
        # January 2025 ends in the Spring Festival holiday (28 January – 4 February): due Monday 27 January.
        (P(MONTH, D(2025, 1, 1), D(2025, 1, 31)), D(2025, 1, 27)),
        # September 2023 and Q3 2023 end in the Mid-Autumn and National Day holiday (29 Sep – 6 Oct).
        (P(MONTH, D(2023, 9, 1), D(2023, 9, 30)), D(2023, 9, 28)),
        (P(QUARTER, D(2023, 7, 1), D(2023, 9, 30)), D(2023, 9, 28)),
        # February 2026 ends on Saturday 28 February, a swapped working day after the Spring Festival.
        (P(MONTH, D(2026, 2, 1), D(2026, 2, 28)), D(2026, 2, 28)),
        # A month ending on a working day.
        (P(MONTH, D(2026, 9, 1), D(2026, 9, 30)), D(2026, 9, 30)),
    ],
)
def test_due_by_is_the_last_working_day_when_the_period_ends_on_a_day_off(period, due):
    assert rules.due_by(period, CHINA) == due


def test_due_by_is_the_last_weekday_when_the_calendar_knows_no_holidays():
    assert rules.due_by(P(MONTH, D(2025, 1, 1), D(2025, 1, 31)), WeekdayCalendar()) == D(2025, 1, 31)


class NoWorkdays:
    def is_workday(self, day):
        return False

    def is_known(self, day):
        return True


def test_due_by_is_the_last_day_when_the_period_has_no_working_day():
    assert rules.due_by(FEB, NoWorkdays()) == D(2026, 2, 28)


def test_cells_carry_the_deadline_when_a_calendar_is_given():
    cells = rules.cadence_year(OrgFacts(kind=G), {}, year=2026, today=D(2026, 10, 5), calendar=CHINA)
    assert cells[-1].due_on == D(2026, 10, 30)
    assert rules.cadence_year(OrgFacts(kind=G), {}, year=2026, today=D(2026, 10, 5))[-1].due_on is None
