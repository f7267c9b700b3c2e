"""留党察看 on the member record: MEM-DISCIPLINE-TERM (one or two years, 党章 Art. 39) at its boundaries, the
"under disciplinary probation on a date" reading, the audited edit, and the full members of a branch on a
date (the electorate of a branch vote); and the status of a cancelled probation."""

import datetime as dt

import pytest

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members import rules, selectors, services
from grassroots.members.choices import END_STATUSES, MemberStatus
from grassroots.members.models import Member
from tests.factories import SYSTEM, make_member

D = dt.date
START = D(2025, 3, 1)


@pytest.mark.parametrize("until", [D(2026, 3, 1), D(2027, 3, 1)])
def test_discipline_term_accepts_one_or_two_years_when_recorded(until):
    rules.check_disciplinary_probation(START, until)


def test_discipline_term_accepts_no_record_when_both_dates_are_empty():
    rules.check_disciplinary_probation(None, None)


@pytest.mark.parametrize(
    ("start", "until", "field", "fragment"),
    [
        (START, None, "disciplinary_probation_until", "同时填写"),
        (None, D(2026, 3, 1), "disciplinary_probation_from", "同时填写"),
        (START, START, "disciplinary_probation_until", "应晚于起始日期"),
        (START, D(2024, 3, 1), "disciplinary_probation_until", "应晚于起始日期"),
        (START, D(2026, 2, 28), "disciplinary_probation_until", "一年或两年"),
        (START, D(2026, 3, 2), "disciplinary_probation_until", "一年或两年"),
        (START, D(2027, 3, 2), "disciplinary_probation_until", "2026-03-01或2027-03-01"),
        (START, D(2028, 3, 1), "disciplinary_probation_until", "一年或两年"),
    ],
)
def test_discipline_term_refused_when_dates_are_not_one_or_two_years(start, until, field, fragment):
    with pytest.raises(RuleViolation) as exc:
        rules.check_disciplinary_probation(start, until)
    assert (exc.value.rule_id, exc.value.field) == ("MEM-DISCIPLINE-TERM", field)
    assert fragment in exc.value.message


@pytest.mark.parametrize(
    ("on", "under"),
    [(D(2025, 2, 28), False), (START, True), (D(2026, 2, 28), True), (D(2026, 3, 1), False)],
)
def test_under_disciplinary_probation_from_the_first_day_until_rights_are_restored(on, under):
    assert rules.under_disciplinary_probation(START, D(2026, 3, 1), on) is under
    assert rules.under_disciplinary_probation(None, None, on) is False


def test_update_records_discipline_in_the_audit_trail_when_edited(tree):
    services.member_update(
        scope=SYSTEM,
        actor=None,
        member=tree.zhang,
        disciplinary_probation_from=START,
        disciplinary_probation_until=D(2026, 3, 1),
    )
    assert selectors.under_disciplinary_probation(tree.zhang, D(2025, 6, 1))
    with unscoped():
        changes = AuditEvent.objects.unscoped_all().filter(action="member.update").latest("id").changes
    assert changes["disciplinary_probation_from"] == [None, "2025-03-01"]
    assert changes["disciplinary_probation_until"] == [None, "2026-03-01"]


def test_update_refuses_and_saves_nothing_when_term_is_eighteen_months(tree):
    with pytest.raises(RuleViolation) as exc:
        services.member_update(
            scope=SYSTEM,
            actor=None,
            member=tree.zhang,
            disciplinary_probation_from=START,
            disciplinary_probation_until=D(2026, 9, 1),
        )
    assert exc.value.rule_id == "MEM-DISCIPLINE-TERM"
    with unscoped():
        tree.zhang.refresh_from_db()
    assert tree.zhang.disciplinary_probation_from is None


def test_full_members_on_a_date_leave_out_later_conversions_admissions_and_other_branches(tree):
    converted_later = make_member(tree.a, "赵六", converted_on=D(2026, 5, 1), admitted_on=D(2025, 5, 1))
    make_member(tree.a, "孙八", status=MemberStatus.PROBATIONARY, admitted_on=D(2025, 5, 1))
    ended_later = make_member(tree.a, "周九")
    services.member_end(
        scope=SYSTEM, actor=None, member=ended_later, status=MemberStatus.DECEASED, ended_on=D(2026, 6, 1)
    )
    ended_before = make_member(tree.a, "吴十")
    services.member_end(
        scope=SYSTEM, actor=None, member=ended_before, status=MemberStatus.DECEASED, ended_on=D(2026, 1, 1)
    )
    names = {m.name for m in selectors.full_members_on(scope=SYSTEM, org=tree.a, on=D(2026, 4, 1))}
    assert names == {"张三", "李四", "周九"}
    names = {m.name for m in selectors.full_members_on(scope=SYSTEM, org=tree.a, on=D(2026, 5, 1))}
    assert converted_later.name in names


def test_full_member_without_a_recorded_conversion_date_counts_among_those_who_should_attend(tree):
    # The service requires the date (REC-DATES); records loaded from older systems may still lack it.
    old = make_member(tree.a, "郑七", admitted_on=D(2010, 3, 1), converted_on=D(2011, 3, 1))
    with unscoped():
        Member.objects.unscoped_all().filter(pk=old.pk).update(converted_on=None)
    names = {m.name for m in selectors.full_members_on(scope=SYSTEM, org=tree.a, on=D(2026, 4, 1))}
    assert "郑七" in names


def test_probation_cancelled_ends_only_a_probationary_membership():
    assert MemberStatus.PROBATION_CANCELLED in END_STATUSES
    rules.check_status_change(MemberStatus.PROBATIONARY, MemberStatus.PROBATION_CANCELLED)
    with pytest.raises(RuleViolation):
        rules.check_status_change(MemberStatus.FULL, MemberStatus.PROBATION_CANCELLED)
