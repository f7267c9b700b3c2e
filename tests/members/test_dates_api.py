"""Hand-entered members through the API (issue 8, item 3): 转正时间 = 入党时间 + one year (+ a recorded
extension of probation), per REC-DATES; no date after today (REC-NOT-FUTURE). A refusal stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.scoping import unscoped
from grassroots.members.models import Member
from tests.factories import make_id_number, make_member

D = dt.date
TODAY = D(2026, 12, 1)


def new_member(**overrides):
    body = {
        "org": "A",
        "name": "赵六",
        "sex": "female",
        "birth_date": "1992-03-04",
        "id_number": make_id_number(D(1992, 3, 4), "female"),
        "status": "full",
        "admitted_on": "2024-07-01",
        "converted_on": "2025-07-01",
        "education": "bachelor",
        "occupation": "professional",
    }
    return body | overrides


def stored():
    with unscoped():
        return list(Member.objects.unscoped_all().order_by("pk").values())


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


def test_hand_entered_member_converted_one_day_after_admission_is_refused_with_rec_dates(api_as, tree, today):
    before = stored()
    response = api_as("secretary_a").post("/members", new_member(converted_on="2024-07-02"))
    assert response.status_code == 422
    body = response.json()
    assert (body["rule_id"], body["field"]) == ("REC-DATES", "converted_on")
    assert "2025-07-01" in body["message"]
    assert stored() == before


def test_hand_entered_member_converted_one_year_after_admission_is_accepted(api_as, tree, today):
    response = api_as("secretary_a").post("/members", new_member())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["admitted_on"], body["converted_on"], body["probation_extension_months"]) == (
        "2024-07-01",
        "2025-07-01",
        0,
    )
    with unscoped():
        member = Member.objects.unscoped_all().get(pk=body["id"])
    assert (member.converted_on, member.probation_extension_months) == (D(2025, 7, 1), 0)


def test_hand_entered_member_converted_after_a_recorded_extension_is_accepted_and_the_extension_stored(
    api_as, tree, today
):
    client = api_as("secretary_a")
    before = stored()
    # An extension not recorded: the conversion date must be one year after admission.
    unrecorded = client.post("/members", new_member(converted_on="2026-01-01"))
    assert unrecorded.json()["rule_id"] == "REC-DATES"
    assert stored() == before
    response = client.post("/members", new_member(converted_on="2026-01-01", probation_extension_months=6))
    assert response.status_code == 201, response.json()
    with unscoped():
        member = Member.objects.unscoped_all().get(pk=response.json()["id"])
    assert (member.converted_on, member.probation_extension_months) == (D(2026, 1, 1), 6)


def test_hand_entered_member_with_an_extension_over_a_year_is_refused(api_as, tree, today):
    before = stored()
    response = api_as("secretary_a").post(
        "/members", new_member(converted_on="2026-07-02", probation_extension_months=13)
    )
    assert response.status_code == 422
    assert stored() == before


@pytest.mark.parametrize(
    ("admitted_on", "converted_on", "field"),
    [("2026-12-02", None, "admitted_on"), ("2025-12-02", "2026-12-02", "converted_on")],
)
def test_hand_entered_member_dated_after_today_is_refused_with_rec_not_future(
    api_as, tree, today, admitted_on, converted_on, field
):
    before = stored()
    status = "full" if converted_on else "probationary"
    response = api_as("secretary_a").post(
        "/members", new_member(status=status, admitted_on=admitted_on, converted_on=converted_on)
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("REC-NOT-FUTURE", field)
    assert stored() == before


def test_member_patch_of_the_conversion_date_is_held_to_rec_dates(api_as, tree, today):
    member = make_member(tree.a, "周九", admitted_on=D(2015, 7, 1), converted_on=D(2016, 7, 1))
    client = api_as("secretary_a")
    before = stored()
    response = client.patch(f"/members/{member.pk}", {"converted_on": "2015-07-02"})
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("REC-DATES", "converted_on")
    assert stored() == before
    response = client.patch(
        f"/members/{member.pk}", {"converted_on": "2017-01-01", "probation_extension_months": 6}
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["converted_on"], response.json()["probation_extension_months"]) == (
        "2017-01-01",
        6,
    )


def test_member_patch_of_other_fields_keeps_dates_entered_before_the_rule(api_as, tree, today):
    member = make_member(tree.a, "吴十", admitted_on=D(2015, 7, 1), converted_on=D(2016, 7, 1))
    with unscoped():
        Member.objects.unscoped_all().filter(pk=member.pk).update(converted_on=D(2015, 7, 2))
    response = api_as("secretary_a").patch(f"/members/{member.pk}", {"phone": "13911112222"})
    assert response.status_code == 200, response.json()
    assert (response.json()["phone"], response.json()["converted_on"]) == ("13911112222", "2015-07-02")
