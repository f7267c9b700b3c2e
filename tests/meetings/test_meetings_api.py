"""Meetings through the API: the paged list with its filters, arranging a meeting (201; counts sent by the
client ignored), one meeting with its counts and lines, held and cancel (MTG-STATUS), attendance and guests
(MTG-ATTENDANCE) and leave (MTG-LEAVE); refusals are 422 {rule_id, message, field}; outsiders get 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.meetings.models import Attendance, Minutes
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_meeting

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def meeting(tree, personas, today_is):
    today_is(D(2026, 11, 3))
    return make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="十一月党员大会")


def line_id(meeting, member) -> int:
    with unscoped():
        return Attendance.objects.unscoped_all().get(meeting=meeting, member=member).pk


def test_list_is_paged_and_filtered_when_asked(tree, meeting, api_as):
    make_meeting(tree.a, kind="party_lecture", planned_on=D(2025, 4, 1), topic="去年的党课")
    make_meeting(tree.b, planned_on=D(2026, 11, 1), topic="B的会")
    api = api_as("secretary_a")
    body = api.get("/meetings").json()
    assert (body["count"], body["page"], body["next"]) == (2, 1, None)
    assert [m["topic"] for m in api.get("/meetings", kind="party_lecture").json()["items"]] == ["去年的党课"]
    assert [m["topic"] for m in api.get("/meetings", year=2026, org="A").json()["items"]] == [
        "十一月党员大会"
    ]
    assert api.get("/meetings", status="cancelled").json()["count"] == 0
    assert api.get("/meetings", org="B").status_code == 404
    assert api.get("/meetings", kind="dinner").status_code == 422


def test_list_is_filtered_by_a_date_range_when_from_and_to_are_given(tree, meeting, api_as):
    make_meeting(tree.a, kind="party_lecture", planned_on=D(2025, 4, 1), topic="去年的党课")
    api = api_as("secretary_a")
    topics = [
        m["topic"] for m in api.get("/meetings", **{"from": "2025-03-01", "to": "2025-12-31"}).json()["items"]
    ]
    assert topics == ["去年的党课"]
    assert [m["topic"] for m in api.get("/meetings", **{"from": "2026-11-02"}).json()["items"]] == [
        "十一月党员大会"
    ]
    assert api.get("/meetings", to="2025-03-31").json()["count"] == 0
    assert api.get("/meetings", **{"from": "2026-13-01"}).status_code == 422


def test_meeting_is_arranged_and_client_counts_are_ignored_when_posted(tree, meeting, api_as):
    response = api_as("secretary_a").post(
        "/meetings",
        {
            "org": "A",
            "kind": "general_meeting",
            "topic": "十二月党员大会",
            "planned_on": "2026-12-01",
            "starts_at": "14:30",
            "convener": tree.zhang.pk,
            "expected_count": 50,
            "present_count": 50,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["expected_count"], body["present_count"], body["convener"]) == (2, 0, tree.zhang.pk)
    assert sorted(line["name"] for line in body["attendance"]) == ["张三", "李四"]


def test_arranging_is_refused_with_its_rule_when_the_org_does_not_hold_the_kind(meeting, api_as):
    response = api_as("secretary_a").post(
        "/meetings", {"org": "A", "kind": "group_meeting", "topic": "会", "planned_on": "2026-12-01"}
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("MTG-KIND", "kind")


def test_convener_outside_the_org_is_refused_on_its_field(tree, meeting, api_as):
    response = api_as("secretary_a").post(
        "/meetings",
        {
            "org": "A",
            "kind": "general_meeting",
            "topic": "会",
            "planned_on": "2026-12-01",
            "convener": tree.wang.pk,
        },
    )
    assert response.status_code == 422 and response.json()["field"] == "convener"


def test_one_meeting_has_its_counts_and_lines_and_is_hidden_from_outsiders(tree, meeting, api_as):
    body = api_as("county_viewer").get(f"/meetings/{meeting.pk}").json()
    assert body["topic"] == "十一月党员大会" and body["expected_count"] == 2 and body["rate"] is None
    assert {line["member"] for line in body["attendance"]} == {tree.zhang.pk, tree.li.pk}
    assert api_as("secretary_b").get(f"/meetings/{meeting.pk}").status_code == 404


def test_attendance_and_guests_are_recorded_and_the_counts_derived(tree, meeting, api_as):
    api = api_as("secretary_a")
    response = api.post(
        f"/meetings/{meeting.pk}/attendance", [{"member": tree.zhang.pk, "status": "present"}]
    )
    assert response.status_code == 200, response.content
    assert (response.json()[0]["status"], response.json()[0]["method"]) == ("present", "late_entry")
    response = api.post(f"/meetings/{meeting.pk}/attendance", [{"member": tree.li.pk, "status": "excused"}])
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-ATTENDANCE"
    assert response.json()["field"] == "reason"
    api.post(f"/meetings/{meeting.pk}/attendance", [{"member": tree.li.pk, "status": "absent"}])
    response = api.post(f"/meetings/{meeting.pk}/guests", {"member": tree.zhang.pk})
    assert response.status_code == 422 and response.json()["field"] == "member"
    body = api.get(f"/meetings/{meeting.pk}").json()
    assert (body["present_count"], body["absent_count"], body["guest_count"], body["rate"]) == (1, 1, 0, 50.0)


def test_attendance_lines_are_recorded_all_or_none_when_several_are_posted(tree, meeting, api_as):
    api = api_as("secretary_a")
    lines = [{"member": tree.zhang.pk, "status": "present"}, {"member": tree.li.pk, "status": "excused"}]
    response = api.post(f"/meetings/{meeting.pk}/attendance", lines)
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-ATTENDANCE"
    assert response.json()["message"].startswith("第 2 行")
    assert api.get(f"/meetings/{meeting.pk}").json()["present_count"] == 0  # nothing recorded
    lines[1]["reason"] = "出差"
    response = api.post(f"/meetings/{meeting.pk}/attendance", lines)
    assert response.status_code == 200 and [r["status"] for r in response.json()] == ["present", "excused"]
    body = api.get(f"/meetings/{meeting.pk}").json()
    assert (body["present_count"], body["excused_count"]) == (1, 1)


def test_guest_from_another_branch_is_added_by_the_county(tree, meeting, api_as):
    response = api_as("county_admin").post(f"/meetings/{meeting.pk}/guests", {"member": tree.wang.pk})
    assert response.status_code == 201, response.content
    assert (response.json()["expected"], response.json()["status"]) == (False, "present")
    assert api_as("county_admin").get(f"/meetings/{meeting.pk}").json()["guest_count"] == 1


def test_member_unknown_to_the_caller_is_refused_on_its_field(tree, meeting, api_as):
    response = api_as("secretary_a").post(
        f"/meetings/{meeting.pk}/attendance", [{"member": tree.wang.pk, "status": "present"}]
    )
    assert response.status_code == 422 and response.json()["field"] == "member"


def test_held_and_cancel_follow_mtg_status(meeting, api_as):
    api = api_as("secretary_a")
    response = api.post(f"/meetings/{meeting.pk}/held", {"held_on": "2026-11-02"})
    assert response.status_code == 200 and response.json()["status"] == "held"
    response = api.post(f"/meetings/{meeting.pk}/cancel", {"reason": "改期"})
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-STATUS"


def test_cancelled_meeting_keeps_its_reason(meeting, api_as):
    response = api_as("secretary_a").post(f"/meetings/{meeting.pk}/cancel", {"reason": "上级临时通知"})
    assert (response.json()["status"], response.json()["cancelled_reason"]) == ("cancelled", "上级临时通知")


def test_leave_is_asked_by_the_member_and_granted_by_the_secretary(tree, personas, api_as, today_is):
    today_is(timezone.localdate())
    ahead = make_meeting(
        tree.a, planned_on=timezone.localdate() + dt.timedelta(days=20), topic="下月党员大会"
    )
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.zhang, user=personas.member_b)
    response = api_as("member_b").post(f"/meetings/{ahead.pk}/leave", {"reason": "出差"})
    assert response.status_code == 200, response.content
    assert (response.json()["leave_reason"], response.json()["leave_granted"]) == ("出差", None)
    secretary = api_as("secretary_a")
    response = secretary.post(f"/meetings/{ahead.pk}/leave/{response.json()['id']}", {"grant": True})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["reason"]) == ("excused", "出差")
    assert secretary.get(f"/meetings/{ahead.pk}").json()["excused_count"] == 1


def test_leave_is_refused_to_a_reader_off_the_list_and_hidden_from_outsiders(meeting, api_as):
    response = api_as("secretary_a").post(f"/meetings/{meeting.pk}/leave", {"reason": "出差"})
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-LEAVE"
    assert api_as("secretary_b").post(f"/meetings/{meeting.pk}/leave", {"reason": "出差"}).status_code == 404


def test_leave_decision_without_a_request_is_refused(tree, meeting, api_as):
    response = api_as("secretary_a").post(
        f"/meetings/{meeting.pk}/leave/{line_id(meeting, tree.zhang)}", {"grant": True}
    )
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-LEAVE"


def test_final_minutes_refuse_attendance_through_the_api(tree, meeting, api_as):
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=meeting).update(state="finalized")
    response = api_as("secretary_a").post(
        f"/meetings/{meeting.pk}/attendance", [{"member": tree.zhang.pk, "status": "absent"}]
    )
    assert response.status_code == 422 and response.json()["rule_id"] == "MTG-MINUTES-FINAL"
