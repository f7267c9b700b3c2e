"""The meeting pages (组织生活): the org's list with its filters, counts and 补记 mark; arranging a meeting with
the org's kinds and members; the meeting's page with its roster recorded in place (htmx), guests and leave
requests; changing, holding and cancelling; the member's 请假 form; the menu entry and the org tab."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.scoping import unscoped
from grassroots.meetings import services
from grassroots.meetings.models import Attendance, Meeting, Minutes
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_meeting
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def meeting(tree, personas, today_is):
    """Branch A's general meeting on 10 November 2026; today is 3 November."""
    today_is(D(2026, 11, 3))
    return make_meeting(tree.a, planned_on=D(2026, 11, 10), starts_at=dt.time(14, 30), topic="十一月党员大会")


def fresh(meeting) -> Meeting:
    with unscoped():
        return Meeting.objects.unscoped_all().get(pk=meeting.pk)


def line(meeting, member) -> Attendance:
    with unscoped():
        return Attendance.objects.unscoped_all().get(meeting=meeting, member=member)


def test_list_shows_the_orgs_meetings_with_counts_and_links_when_opened(tree, meeting):
    late = make_meeting(tree.a, planned_on=D(2026, 10, 1), topic="十月党员大会")
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=late).update(state="finalized", is_late_entry=True)
    html = client_for("secretary_a").get(reverse("meetings:list", args=["A"])).content.decode()
    assert "十一月党员大会" in html and reverse("meetings:detail", args=[meeting.pk]) in html
    assert html.count('class="badge text-bg-warning late-entry"') == 1
    assert 'id="meeting-create"' in html


def test_list_links_to_the_register_lapse_watch_talks_feeds_and_policy_of_the_org(meeting):
    html = client_for("secretary_a").get(reverse("meetings:list", args=["A"])).content.decode()
    for name in ("register", "lapse", "talks", "policy"):
        assert reverse(f"meetings:{name}", args=["A"]) in html
    assert reverse("meetings:feeds") + "?org=A" in html
    for name in ("register", "lapse", "talks", "policy"):
        assert client_for("secretary_a").get(reverse(f"meetings:{name}", args=["A"])).status_code == 200


def test_list_filters_by_kind_status_and_year_when_asked(tree, meeting):
    make_meeting(tree.a, kind="party_lecture", planned_on=D(2025, 5, 1), topic="去年的党课")
    client = client_for("secretary_a")
    url = reverse("meetings:list", args=["A"])
    assert "去年的党课" not in client.get(url, {"kind": "general_meeting"}).content.decode()
    assert "十一月党员大会" not in client.get(url, {"year": "2025"}).content.decode()
    assert "十一月党员大会" not in client.get(url, {"status": "held"}).content.decode()
    partial = client.get(url, {"year": "2025"}, HTTP_HX_REQUEST="true").content.decode()
    assert "去年的党课" in partial and "<html" not in partial


def test_list_is_not_found_for_a_sibling_branch(meeting):
    assert client_for("secretary_b").get(reverse("meetings:list", args=["A"])).status_code == 404


def test_create_offers_the_orgs_kinds_and_members_and_arranges_the_meeting(tree, meeting):
    client = client_for("secretary_a")
    url = reverse("meetings:create", args=["A"])
    html = client.get(url).content.decode()
    assert 'value="general_meeting"' in html and 'value="group_meeting"' not in html
    assert "张三" in html and "王五" not in html
    response = client.post(
        url,
        {
            "kind": "party_lecture",
            "topic": "党课：学习党章",
            "planned_on": "2026-11-20",
            "place": "会议室",
            "convener": tree.zhang.pk,
            "expected_count": 99,
        },
    )
    with unscoped():
        created = Meeting.objects.unscoped_all().get(topic="党课：学习党章")
    assert response.status_code == 302 and response["Location"] == reverse(
        "meetings:detail", args=[created.pk]
    )
    assert (created.expected_count, created.convener_id) == (2, tree.zhang.pk)


def test_create_shows_the_refusal_on_the_field_when_the_date_is_implausible(meeting):
    response = client_for("secretary_a").post(
        reverse("meetings:create", args=["A"]),
        {"kind": "general_meeting", "topic": "会", "planned_on": "1800-01-01"},
    )
    assert response.status_code == 422
    assert "INPUT-DATE" in response.content.decode()


def test_detail_shows_facts_roster_and_actions_to_the_secretary(tree, meeting):
    html = client_for("secretary_a").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    for text in ("十一月党员大会", "张三", "李四", 'id="meeting-held"', 'id="meeting-cancel"'):
        assert text in html
    assert reverse("meetings:minutes", args=[meeting.pk]) in html
    assert reverse("meetings:sign_in_screen", args=[meeting.pk]) in html
    assert reverse("meetings:attendance_record", args=[meeting.pk, line(meeting, tree.zhang).pk]) in html


def test_detail_shows_no_recording_forms_to_a_viewer(meeting):
    html = client_for("county_viewer").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "十一月党员大会" in html and "line-form" not in html and 'id="meeting-cancel"' not in html
    assert reverse("meetings:sign_in_screen", args=[meeting.pk]) not in html


def test_line_is_recorded_in_place_with_the_counts_when_posted_by_htmx(tree, meeting):
    target = line(meeting, tree.li)
    url = reverse("meetings:attendance_record", args=[meeting.pk, target.pk])
    client = client_for("secretary_a")
    response = client.post(url, {"status": "excused", "reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "MTG-ATTENDANCE" in response.content.decode()
    response = client.post(url, {"status": "excused", "reason": "出差"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and f'id="line-{target.pk}"' in html
    assert 'id="meeting-counts"' in html and 'hx-swap-oob="true"' in html
    assert (line(meeting, tree.li).status, fresh(meeting).excused_count) == ("excused", 1)


def test_line_posted_without_htmx_goes_back_to_the_meeting(tree, meeting):
    target = line(meeting, tree.zhang)
    response = client_for("secretary_a").post(
        reverse("meetings:attendance_record", args=[meeting.pk, target.pk]), {"status": "present"}
    )
    assert response.status_code == 302 and line(meeting, tree.zhang).status == "present"


def test_guest_is_added_from_the_meeting_page(tree, meeting):
    client = client_for("county_admin")
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="guest-form"' in html and "王五" in html
    response = client.post(reverse("meetings:guest_add", args=[meeting.pk]), {"member": tree.wang.pk})
    assert response.status_code == 302
    assert line(meeting, tree.wang).expected is False and fresh(meeting).guest_count == 1


def test_meeting_is_changed_held_and_cancelled_from_its_pages(tree, meeting, today_is):
    client = client_for("secretary_a")
    edit = reverse("meetings:edit", args=[meeting.pk])
    assert "十一月党员大会" in client.get(edit).content.decode()
    data = {"kind": "general_meeting", "topic": "改后的主题", "planned_on": "2026-11-10", "place": "二楼"}
    assert client.post(edit, data).status_code == 302
    assert fresh(meeting).topic == "改后的主题"
    held = reverse("meetings:held", args=[meeting.pk])
    response = client.post(held, {"held_on": "2026-11-10"})  # after today: refused by the date's range first
    assert response.status_code == 422 and "INPUT-DATE" in response.content.decode()
    cancel = reverse("meetings:cancel", args=[meeting.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 422
    assert client.post(cancel, {"reason": "与上级会议冲突"}).status_code == 302
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "与上级会议冲突" in html and 'id="meeting-held"' not in html
    assert client.post(held, {"held_on": "2026-11-03"}).status_code == 422


def test_member_asks_leave_and_the_secretary_grants_it(tree, personas, today_is):
    # The leave's window is read from the real clock: a meeting some weeks ahead of it.
    today_is(timezone.localdate())
    meeting = make_meeting(
        tree.a, planned_on=timezone.localdate() + dt.timedelta(days=30), topic="下月党员大会"
    )
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.zhang, user=personas.member_b)
    member = client_for("member_b")
    url = reverse("meetings:leave", args=[meeting.pk])
    assert 'id="leave-form"' in member.get(url).content.decode()
    response = member.post(url, {"reason": "外出学习"})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:mine")
    assert 'id="leave-form"' not in member.get(url).content.decode()  # pending: no second request
    secretary = client_for("secretary_a")
    html = secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    asked = line(meeting, tree.zhang)
    assert "外出学习" in html and reverse("meetings:leave_decide", args=[meeting.pk, asked.pk]) in html
    response = secretary.post(reverse("meetings:leave_decide", args=[meeting.pk, asked.pk]), {"grant": "1"})
    assert response.status_code == 302
    assert (line(meeting, tree.zhang).status, line(meeting, tree.zhang).reason) == ("excused", "外出学习")
    assert (
        secretary.post(
            reverse("meetings:leave_decide", args=[meeting.pk, asked.pk]), {"grant": "0"}
        ).status_code
        == 422
    )


def test_leave_page_tells_a_reader_off_the_list_that_no_leave_is_needed(meeting):
    response = client_for("secretary_a").get(reverse("meetings:leave", args=[meeting.pk]))
    assert response.status_code == 200 and 'id="leave-not-expected"' in response.content.decode()


def test_menu_entry_leads_to_the_callers_org_list(meeting):
    client = client_for("secretary_a")
    html = client.get(reverse("meetings:list", args=["A"])).content.decode()
    assert 'id="nav-meetings"' in html
    response = client.get(reverse("meetings:index"))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:list", args=["A"])
    assert client_for("member_b").get(reverse("meetings:index")).status_code == 404


def test_org_page_has_a_meetings_tab_when_the_reader_reads_meetings(meeting):
    html = client_for("secretary_a").get(reverse("orgs:detail", args=["A"])).content.decode()
    assert reverse("meetings:list", args=["A"]) in html


def test_final_minutes_make_the_roster_read_only_on_the_page(meeting):
    with unscoped():
        Minutes.objects.unscoped_all().filter(meeting=meeting).update(state="finalized")
    html = client_for("secretary_a").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="final-note"' in html and "line-form" not in html and 'id="meeting-edit"' not in html


def test_services_leave_the_stored_counts_equal_to_the_lines(tree, meeting):
    services.attendance_record(scope=SYSTEM, actor=None, meeting=meeting, member=tree.zhang, status="present")
    html = client_for("secretary_a").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert (
        'id="count-present">1<' in html and 'id="count-rate">100.00%<' in html
    )  # over the lines recorded so far
