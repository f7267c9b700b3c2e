"""The demo's year of organizational life (issue 10, item 10): what the seed loads is what the services would
have derived — each roster is `expected_roster` of its org, kind and day; stored counts match the rows; late
minutes are marked by the rules; votes and grades obey MTG-QUORUM-GENERAL and MEM-APPRAISAL-GRADES; and the
data show gaps (branches behind, late minutes, members drifting away)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, Q

from grassroots.core.scoping import unscoped
from grassroots.demo import seeder
from grassroots.meetings import rules, selectors
from grassroots.meetings.models import AppraisalRecord, Attendance, LapseExcusal, Meeting, Minutes, Talk, Vote

AS_OF = dt.date(2026, 6, 30)
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    seeder.seed(scale="tiny", seed=1, as_of=AS_OF, out=lambda _m: None)


def test_seeded_rosters_are_the_derived_rosters_of_their_org_kind_and_day(seeded):
    with unscoped():
        meetings = list(Meeting.objects.unscoped_all().select_related("org").order_by("id")[::37])
        assert meetings
        for meeting in meetings:
            stored = sorted(
                Attendance.objects.unscoped_all()
                .filter(meeting=meeting, expected=True)
                .values_list("member_id", "voting")
            )
            assert stored == sorted(selectors.expected_roster(meeting.org, meeting.kind, meeting.planned_on))


def test_seeded_counts_are_the_attendance_rows(seeded):
    with unscoped():
        rows = (
            Meeting.objects.unscoped_all()
            .annotate(
                n=Count("attendance", filter=Q(attendance__expected=True)),
                p=Count("attendance", filter=Q(attendance__status="present")),
                e=Count("attendance", filter=Q(attendance__status="excused")),
                a=Count("attendance", filter=Q(attendance__status="absent")),
            )
            .values_list(
                "expected_count", "present_count", "excused_count", "absent_count", "n", "p", "e", "a"
            )
        )
        assert all(r[:4] == r[4:] for r in rows)


def test_seeded_minutes_are_late_exactly_when_the_rule_says_and_only_past_meetings_are_final(seeded):
    with unscoped():
        minutes = list(Minutes.objects.unscoped_all().select_related("meeting"))
    final = [m for m in minutes if m.state != "draft"]
    assert final and any(m.is_late_entry for m in final) and any(m.state == "draft" for m in minutes)
    for m in final:
        assert m.meeting.planned_on < AS_OF
        assert m.is_late_entry == rules.is_late_entry(m.meeting.planned_on, m.finalized_at.date())
    assert all(not m.is_late_entry for m in minutes if m.state == "draft")


def test_seeded_votes_have_a_quorum_and_the_outcome_of_the_rule(seeded):
    with unscoped():
        votes = list(Vote.objects.unscoped_all().select_related("meeting"))
    assert votes
    for v in votes:
        outcome = rules.vote_check(
            v.meeting.kind, rules.VoteCount(v.should_attend, v.present, v.yes, v.no, v.abstain)
        )
        assert (v.quorum_met, v.passed) == (outcome.quorum_met, outcome.passed)
        assert v.present * 2 > v.should_attend


def test_seeded_appraisals_keep_excellent_within_a_third_and_handle_every_unqualified(seeded):
    with unscoped():
        grades: dict[int, Counter] = {}
        for meeting_id, grade, handling in AppraisalRecord.objects.unscoped_all().values_list(
            "meeting_id", "grade", "handling"
        ):
            grades.setdefault(meeting_id, Counter())[grade] += 1
            assert (grade == "unqualified") == bool(handling)
    assert grades
    for counts in grades.values():
        assert counts["excellent"] <= rules.max_excellent(sum(counts.values()))


def test_seeded_year_shows_gaps_late_minutes_drifting_members_talks_and_excusals(seeded):
    with unscoped():
        themed = Counter(
            Meeting.objects.unscoped_all()
            .filter(kind="themed_day", planned_on__lt=AS_OF)
            .values_list("org_id", flat=True)
        )
        assert min(themed.values()) < max(themed.values())  # some branches skipped months
        assert Talk.objects.unscoped_all().exists()
        assert LapseExcusal.objects.unscoped_all().filter(reason_kind="mobile").exists()
        # Someone stopped coming: absent from every meeting of the last three months that expected them.
        since = dt.date(2026, 4, 1)
        recent = (
            Attendance.objects.unscoped_all()
            .filter(meeting__planned_on__gte=since, meeting__minutes__state="finalized", expected=True)
            .values("member_id")
            .annotate(n=Count("id"), absent=Count("id", filter=Q(status="absent")))
        )
        assert any(r["n"] >= 3 and r["absent"] == r["n"] for r in recent)


def test_upper_committees_hold_their_committee_meetings_with_the_derived_roster(seeded):
    """党委 and 总支 above the branches meet too: otherwise every upper committee shows as behind on
    MTG-COMMITTEE-M in the demo."""
    with unscoped():
        upper = list(
            Meeting.objects.unscoped_all()
            .filter(kind="committee_meeting")
            .exclude(org__kind="branch")
            .select_related("org")
        )
        assert upper
        for meeting in upper:
            stored = sorted(
                Attendance.objects.unscoped_all()
                .filter(meeting=meeting, expected=True)
                .values_list("member_id", "voting")
            )
            assert stored == sorted(selectors.expected_roster(meeting.org, meeting.kind, meeting.planned_on))
