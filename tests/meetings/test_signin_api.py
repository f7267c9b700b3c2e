"""Signing in through the API (MTG-SIGN-IN): GET /meetings/{id}/sign-in-code for the screen (officers, the
convener, the recorder) and POST /meetings/{id}/sign-in {code, method} by the member; refusals answer 422
{rule_id, message, field}."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.core.scoping import unscoped
from grassroots.meetings.models import Attendance
from tests.factories import make_meeting
from tests.support.api import api_client_for
from tests.support.signin import account_for, code_at, local, set_clock, wrong_code

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
AT = local(DAY, 9, 5)


@pytest.fixture
def meeting(tree, monkeypatch):
    set_clock(monkeypatch, AT)
    return make_meeting(
        tree.a, planned_on=DAY, starts_at=dt.time(9, 0), ends_at=dt.time(11, 0), topic="支部党员大会"
    )


@pytest.fixture
def zhang(tree, personas):
    account_for(tree.zhang, "zhang")
    return api_client_for("zhang")


def test_code_for_the_screen_is_answered_when_the_secretary_asks(meeting, api_as):
    response = api_as("secretary_a").get(f"/meetings/{meeting.pk}/sign-in-code")
    assert response.status_code == 200, response.content
    body = response.json()
    code = code_at(meeting, AT)
    assert (body["state"], body["code"], body["step_seconds"]) == ("open", code, 30)
    assert body["url"] == f"http://testserver/meetings/{meeting.pk}/sign-in/?c={code}"
    assert dt.datetime.fromisoformat(body["expires_at"]) == local(DAY, 9, 6)
    assert (body["expected"], body["present"], body["guests"]) == (2, 0, 0)


def test_code_is_refused_when_a_member_who_does_not_convene_asks(meeting, zhang):
    assert zhang.get(f"/meetings/{meeting.pk}/sign-in-code").status_code == 403


def test_code_is_not_found_when_another_branch_asks(meeting, api_as):
    assert api_as("secretary_b").get(f"/meetings/{meeting.pk}/sign-in-code").status_code == 404


def test_member_signs_in_by_the_api_with_method_and_time_recorded(tree, meeting, zhang):
    response = zhang.post(f"/meetings/{meeting.pk}/sign-in", {"code": code_at(meeting, AT), "method": "qr"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["member"], body["expected"], body["status"], body["method"]) == (
        tree.zhang.pk,
        True,
        "present",
        "qr",
    )
    assert dt.datetime.fromisoformat(body["signed_at"]) == AT


def test_wrong_code_answers_422_with_the_rule_and_field(tree, meeting, zhang):
    response = zhang.post(
        f"/meetings/{meeting.pk}/sign-in", {"code": wrong_code(meeting, AT), "method": "code"}
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["rule_id"], body["field"]) == ("MTG-SIGN-IN", "code") and body["message"]
    with unscoped():
        assert Attendance.objects.unscoped_all().get(meeting=meeting, member=tree.zhang).status == ""


def test_second_sign_in_answers_422_when_already_signed_in(meeting, zhang):
    zhang.post(f"/meetings/{meeting.pk}/sign-in", {"code": code_at(meeting, AT), "method": "code"})
    response = zhang.post(f"/meetings/{meeting.pk}/sign-in", {"code": code_at(meeting, AT), "method": "code"})
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-SIGN-IN"
    assert "已于09:05签到" in response.json()["message"]


def test_sign_in_answers_422_outside_the_window(meeting, zhang, monkeypatch):
    at = set_clock(monkeypatch, local(DAY, 12, 1))
    response = zhang.post(f"/meetings/{meeting.pk}/sign-in", {"code": code_at(meeting, at), "method": "code"})
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-SIGN-IN"


def test_secretary_method_is_not_taken_by_the_api(meeting, zhang):
    response = zhang.post(
        f"/meetings/{meeting.pk}/sign-in", {"code": code_at(meeting, AT), "method": "secretary"}
    )
    assert response.status_code == 422 and response.json()["rule_id"] == "API-VALIDATION"


def test_sign_in_is_not_found_for_an_account_without_member_record_outside_the_org(meeting, api_as):
    response = api_as("secretary_b").post(
        f"/meetings/{meeting.pk}/sign-in", {"code": "123456", "method": "code"}
    )
    assert response.status_code == 404
