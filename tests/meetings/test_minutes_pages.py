"""The minutes through the API and on the minutes page (issue 10, items 4 and 8): no path edits final minutes,
attendance or votes (422 MTG-MINUTES-FINAL); an amendment shows beside the original; a late record carries
补记; a record changed with SQL is marked 记录与存证不符."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from grassroots.core.scoping import Scope, unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Minutes, Vote
from tests.factories import make_meeting
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db
D = dt.date
SYSTEM = Scope.system("tests")


@pytest.fixture
def meeting(tree, personas, today_is):
    """A general meeting of branch A held yesterday, both members present, its draft written."""
    today_is(D(2026, 11, 3))
    meeting = make_meeting(tree.a, planned_on=D(2026, 11, 2), topic="第四季度支部党员大会")
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting).update(status="present", method="secretary")
    services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text="原始记录：会议由张三主持。")
    return meeting


def url(meeting, tail=""):
    return f"/meetings/{meeting.pk}/{tail}"


def test_minutes_are_finalized_and_read_back_when_the_secretary_uses_the_api(meeting, api_as):
    api = api_as("secretary_a")
    response = api.post(f"/meetings/{meeting.pk}/minutes", {"text": "会议记录：通过年度计划。"})
    assert response.status_code == 200, response.content
    response = api.post(f"/meetings/{meeting.pk}/votes", {"subject": "other", "motion": "年度计划", "yes": 2})
    assert response.status_code == 201, response.content
    assert response.json()["should_attend"] == 2 and response.json()["passed"] is True
    response = api.post(f"/meetings/{meeting.pk}/finalize")
    assert response.status_code == 200, response.content
    body = api.get(f"/meetings/{meeting.pk}/minutes").json()
    assert (body["state"], body["text"], body["is_late_entry"]) == (
        "finalized",
        "会议记录：通过年度计划。",
        False,
    )
    assert [v["motion"] for v in body["votes"]] == ["年度计划"]
    assert api.post(f"/meetings/{meeting.pk}/confirm").json()["state"] == "confirmed"


def test_vote_counts_from_the_client_are_ignored_when_a_vote_is_posted(meeting, api_as):
    response = api_as("secretary_a").post(
        f"/meetings/{meeting.pk}/votes",
        {"subject": "other", "motion": "议题", "yes": 2, "should_attend": 9, "present": 9},
    )
    assert response.status_code == 201
    assert (response.json()["should_attend"], response.json()["present"]) == (2, 2)


def test_every_api_write_answers_minutes_final_when_the_minutes_are_final(meeting, api_as):
    api = api_as("secretary_a")
    assert api.post(f"/meetings/{meeting.pk}/finalize").status_code == 200
    writes = [
        (f"/meetings/{meeting.pk}/minutes", {"text": "重抄"}),
        (f"/meetings/{meeting.pk}/finalize", None),
        (f"/meetings/{meeting.pk}/votes", {"subject": "other", "motion": "补一个表决", "yes": 2}),
        (f"/meetings/{meeting.pk}/appraisal", {"grades": [{"member": 1, "grade": "qualified"}]}),
    ]
    for path, body in writes:
        response = api.post(path, body)
        assert response.status_code == 422, (path, response.content)
        assert response.json()["rule_id"] == "MTG-MINUTES-FINAL", (path, response.json())
    with unscoped():
        assert Minutes.objects.unscoped_all().get(meeting=meeting).text == "原始记录：会议由张三主持。"
        assert not Vote.objects.unscoped_all().filter(meeting=meeting).exists()


def test_every_page_form_answers_minutes_final_when_the_minutes_are_final(meeting, personas):
    client = client_for("secretary_a")
    assert client.post(url(meeting, "minutes/finalize/"), {"confirm": "on"}).status_code == 302
    posts = [
        ("minutes/save/", {"text": "重抄"}),
        ("minutes/finalize/", {"confirm": "on"}),
        ("votes/", {"subject": "other", "motion": "补一个表决", "yes": 2, "no": 0, "abstain": 0}),
        ("appraisal/", {}),
    ]
    for tail, data in posts:
        response = client.post(url(meeting, tail), data)
        assert response.status_code == 422, tail
        assert "MTG-MINUTES-FINAL" in response.content.decode(), tail
    with unscoped():
        assert Minutes.objects.unscoped_all().get(meeting=meeting).text == "原始记录：会议由张三主持。"
    page = client.get(url(meeting, "minutes/")).content.decode()
    assert 'id="draft"' not in page  # no draft editor on final minutes
    assert f"meetings/{meeting.pk}/votes/" not in page


def test_amendment_is_shown_beside_the_original_when_added_on_the_page(meeting, personas):
    client = client_for("secretary_a")
    client.post(url(meeting, "minutes/finalize/"), {"confirm": "on"})
    response = client.post(
        url(meeting, "minutes/amendments/"), {"text": "主持人应为李四。", "reason": "笔误"}
    )
    assert response.status_code == 302
    page = client.get(url(meeting, "minutes/")).content.decode()
    assert "原始记录：会议由张三主持。" in page
    assert "主持人应为李四。" in page and "笔误" in page
    assert page.index('id="original"') < page.index('class="amendment ')


def test_amendment_is_listed_by_the_api_when_added(meeting, api_as):
    api = api_as("secretary_a")
    api.post(f"/meetings/{meeting.pk}/finalize")
    response = api.post(f"/meetings/{meeting.pk}/amendments", {"text": "更正内容", "reason": "笔误"})
    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "原始记录：会议由张三主持。"
    assert [(a["text"], a["reason"]) for a in body["amendments"]] == [("更正内容", "笔误")]


def test_minutes_page_shows_late_entry_when_finalized_after_the_policy_days(meeting, personas, today_is):
    today_is(D(2026, 11, 20))
    client = client_for("secretary_a")
    client.post(url(meeting, "minutes/finalize/"), {"confirm": "on"})
    page = client.get(url(meeting, "minutes/")).content.decode()
    assert "late-entry" in page and "补记" in page


def test_minutes_page_marks_the_record_when_it_was_changed_with_sql(meeting, personas):
    client = client_for("secretary_a")
    client.post(url(meeting, "minutes/finalize/"), {"confirm": "on"})
    assert "记录与存证不符" not in client.get(url(meeting, "minutes/")).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE meetings_minutes SET text = %s WHERE meeting_id = %s", ["涂改", meeting.pk])
    page = client.get(url(meeting, "minutes/")).content.decode()
    assert "记录与存证不符" in page and 'data-part="text"' in page


def test_draft_is_saved_by_htmx_when_the_recorder_types(meeting, personas):
    client = client_for("secretary_a")
    response = client.post(url(meeting, "minutes/save/"), {"text": "新的草稿"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "草稿已于" in response.content.decode()
    with unscoped():
        assert Minutes.objects.unscoped_all().get(meeting=meeting).text == "新的草稿"


def test_appraisal_form_shows_the_excellent_cap_when_opened(tree, personas, today_is):
    today_is(D(2026, 11, 3))
    meeting = make_meeting(tree.a, kind="appraisal", planned_on=D(2026, 11, 2))
    client = client_for("secretary_a")
    page = client.get(url(meeting, "minutes/")).content.decode()
    assert "MEM-APPRAISAL-GRADES" in page and "最多 0 人" in page
    response = client.post(
        url(meeting, "appraisal/"),
        {f"grade_{tree.zhang.pk}": "excellent", f"grade_{tree.li.pk}": "qualified"},
    )
    assert response.status_code == 422 and "MEM-APPRAISAL-GRADES" in response.content.decode()
    response = client.post(url(meeting, "appraisal/"), {f"grade_{tree.li.pk}": "qualified"})
    assert response.status_code == 302


def test_minutes_page_is_not_found_when_the_meeting_is_outside_the_scope(meeting, personas):
    assert client_for("secretary_b").get(url(meeting, "minutes/")).status_code == 404
