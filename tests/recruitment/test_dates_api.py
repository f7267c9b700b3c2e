"""No step in the future, no impossible date (issue 8, item 3), through the API: a step or an application
dated after today is refused with REC-NOT-FUTURE; a public notice may not start before the pre-review nor
after its own date (REC-ORDER). A refusal stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from grassroots.recruitment import rules
from grassroots.recruitment.models import Applicant, RecruitmentEvent
from tests.support.road import apply, refused, steps, votes, walk

D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


def test_a_step_dated_after_today_is_refused_with_rec_not_future_and_saves_nothing(tree, secretary, today):
    applicant_id = apply(secretary, tree).json()["id"]
    body = refused(
        secretary,
        applicant_id,
        {"event": "talk", "on": (TODAY + dt.timedelta(days=1)).isoformat()},
        "REC-NOT-FUTURE",
    )
    assert body["field"] == "on"


def test_a_step_dated_today_is_recorded(tree, secretary, today):
    applicant_id = apply(secretary, tree).json()["id"]
    response = secretary.post(
        f"/recruitment/applicants/{applicant_id}/events", {"event": "talk", "on": TODAY.isoformat()}
    )
    assert response.status_code == 200, response.json()
    with unscoped():
        assert list(
            RecruitmentEvent.objects.unscoped_all()
            .filter(applicant_id=applicant_id)
            .values_list("kind", "on")
        ) == [("talk", TODAY)]


def test_an_application_dated_after_today_is_refused_with_rec_not_future_and_saves_nothing(
    tree, secretary, today
):
    with unscoped():
        before = Applicant.objects.unscoped_all().count()
    response = apply(secretary, tree, applied_on=TODAY + dt.timedelta(days=1))
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("REC-NOT-FUTURE", "applied_on")
    with unscoped():
        assert Applicant.objects.unscoped_all().count() == before


def candidate_after_pre_review(secretary, tree) -> int:
    """A candidate whose pre-review passed on 30 March 2026 (the road up to it)."""
    applicant_id = apply(secretary, tree).json()["id"]
    road = steps(tree)
    walk(secretary, applicant_id, road[: [s["event"] for s in road].index("pre_review") + 1])
    return applicant_id


def test_a_public_notice_starting_before_the_pre_review_is_refused_with_rec_order(tree, secretary, today):
    applicant_id = candidate_after_pre_review(secretary, tree)
    notice = {"event": "public_notice", "on": "2026-04-03", "start_on": "2026-03-27", "working_days": 5}
    body = refused(secretary, applicant_id, notice, "REC-ORDER")
    assert body["field"] == "start_on"
    # From the day of the pre-review it is recorded.
    response = secretary.post(
        f"/recruitment/applicants/{applicant_id}/events", notice | {"start_on": "2026-03-30"}
    )
    assert response.status_code == 200, response.json()


def test_a_public_notice_starting_after_its_own_date_is_refused_with_rec_order(tree, secretary, today):
    applicant_id = candidate_after_pre_review(secretary, tree)
    notice = {"event": "public_notice", "on": "2026-03-31", "start_on": "2026-04-01", "working_days": 5}
    body = refused(secretary, applicant_id, notice, "REC-ORDER")
    assert body["field"] == "start_on"


@pytest.mark.parametrize(
    ("on", "ok"), [(TODAY - dt.timedelta(days=1), True), (TODAY, True), (TODAY + dt.timedelta(days=1), False)]
)
def test_not_future_rule_allows_today_and_earlier(on, ok):
    if ok:
        rules.check_not_future(on=on, today=TODAY)
    else:
        with pytest.raises(RuleViolation) as exc:
            rules.check_not_future(on=on, today=TODAY, field="applied_on")
        assert (exc.value.rule_id, exc.value.field) == ("REC-NOT-FUTURE", "applied_on")
        assert exc.value.params == {"latest_on": TODAY.isoformat()}


def test_a_conversion_after_an_extension_records_the_extension_on_the_member(tree, secretary, road_clock):
    applicant_id = apply(secretary, tree).json()["id"]
    road = steps(tree)
    body = walk(
        secretary,
        applicant_id,
        [
            *road[: [s["event"] for s in road].index("oath") + 1],
            {"event": "conversion_vote", "on": "2027-04-08", "outcome": "extend", **votes()},
            {"event": "probation_extended", "on": "2027-04-15", "months": 6},
            {"event": "conversion_vote", "on": "2027-10-08", **votes()},
            {"event": "conversion_approval", "on": "2027-10-15", "approved": True},
        ],
    )
    assert (body["stage"], body["converted_on"]) == ("full", "2027-10-08")
    with unscoped():
        member = Member.objects.unscoped_all().get(pk=body["member_id"])
    # REC-DATES: one year after admission (8 April 2026) plus the six months recorded on the member.
    assert (member.admitted_on, member.converted_on, member.probation_extension_months) == (
        D(2026, 4, 8),
        D(2027, 10, 8),
        6,
    )
