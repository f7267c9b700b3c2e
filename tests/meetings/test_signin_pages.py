"""The sign-in pages (MTG-SIGN-IN): the screen at the meeting (code, QR code, who has signed in, refreshed by
htmx), the member's phone page (today's meetings, a numeric code field, the result) and the QR code's target
(login first, then a confirm button); the link from 我的会议 while a meeting is open."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import Client

from grassroots.core.scoping import unscoped
from grassroots.meetings.models import Attendance
from tests.factories import make_meeting, make_member
from tests.support.personas import client_for
from tests.support.queries import few_vs_many
from tests.support.signin import account_for, code_at, local, set_clock, wrong_code

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)
AT = local(DAY, 9, 5)


@pytest.fixture
def meeting(tree, monkeypatch):
    """Branch A's general meeting 09:00–11:00 on 2 November 2026; the clock at 09:05 that day."""
    set_clock(monkeypatch, AT)
    return make_meeting(
        tree.a,
        planned_on=DAY,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 0),
        topic="十一月支部党员大会",
        place="三楼会议室",
    )


@pytest.fixture
def zhang(tree, personas):
    account_for(tree.zhang, "zhang")
    return client_for("zhang")


def html(response) -> str:
    return response.content.decode()


def attendance(meeting, member) -> Attendance | None:
    with unscoped():
        return Attendance.objects.unscoped_all().filter(meeting=meeting, member=member).first()


# --- the screen -----------------------------------------------------------------------------------------


def test_screen_shows_the_code_its_qr_code_and_polls_when_the_secretary_opens_it(meeting, personas):
    response = client_for("secretary_a").get(f"/meetings/{meeting.pk}/sign-in/screen/")
    assert response.status_code == 200
    page = html(response)
    code = code_at(meeting, AT)
    assert f'data-code="{code}"' in page and "<svg" in page
    assert f'hx-get="/meetings/{meeting.pk}/sign-in/screen/code/"' in page and 'hx-trigger="every 3s"' in page
    assert "十一月支部党员大会" in page and "尚无人签到" in page


def test_screen_fragment_lists_who_signed_in_when_polled(tree, meeting, personas, zhang):
    zhang.post("/meetings/sign-in/", {"meeting": meeting.pk, "code": code_at(meeting, AT)})
    response = client_for("secretary_a").get(f"/meetings/{meeting.pk}/sign-in/screen/code/")
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page and 'id="sign-in-live"' in page
    assert 'id="present-count">1<' in page and "张三" in page and "09:05" in page


def test_screen_says_when_sign_in_opens_when_opened_early(meeting, personas, monkeypatch):
    set_clock(monkeypatch, local(DAY, 8, 0))
    page = html(client_for("secretary_a").get(f"/meetings/{meeting.pk}/sign-in/screen/"))
    assert "08:30 起开放签到" in page and "data-code" not in page


def test_screen_is_refused_when_a_member_who_does_not_convene_opens_it(meeting, zhang):
    assert zhang.get(f"/meetings/{meeting.pk}/sign-in/screen/").status_code == 403
    assert zhang.get(f"/meetings/{meeting.pk}/sign-in/screen/code/").status_code == 403


def test_screen_is_not_found_when_another_branch_opens_it(meeting, personas):
    assert client_for("secretary_b").get(f"/meetings/{meeting.pk}/sign-in/screen/").status_code == 404


def test_minutes_page_links_the_screen_when_an_officer_opens_it(meeting, personas):
    page = html(client_for("secretary_a").get(f"/meetings/{meeting.pk}/minutes/"))
    assert f'href="/meetings/{meeting.pk}/sign-in/screen/"' in page


# --- the phone page -------------------------------------------------------------------------------------


def test_phone_page_offers_a_numeric_code_field_when_a_meeting_is_open(meeting, zhang):
    page = html(zhang.get("/meetings/sign-in/"))
    assert "十一月支部党员大会" in page and "三楼会议室" in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert f'name="meeting" value="{meeting.pk}"' in page


def test_member_is_signed_in_and_sees_it_when_the_code_is_posted(tree, meeting, zhang):
    response = zhang.post("/meetings/sign-in/", {"meeting": meeting.pk, "code": code_at(meeting, AT)})
    assert response.status_code == 302 and response["Location"] == "/meetings/sign-in/"
    row = attendance(meeting, tree.zhang)
    assert (row.status, row.method, row.signed_at) == ("present", "code", AT)
    page = html(zhang.get("/meetings/sign-in/"))
    assert "签到成功" in page and "已于 09:05 签到" in page and 'name="code"' not in page


def test_refusal_is_shown_next_to_the_code_field_when_the_code_is_wrong(tree, meeting, zhang):
    response = zhang.post("/meetings/sign-in/", {"meeting": meeting.pk, "code": wrong_code(meeting, AT)})
    assert response.status_code == 422
    page = html(response)
    assert "签到码不正确或已过期" in page and "MTG-SIGN-IN" in page and 'aria-invalid="true"' in page
    assert attendance(meeting, tree.zhang).status == ""


def test_phone_page_says_when_sign_in_opens_when_too_early(meeting, zhang, monkeypatch):
    set_clock(monkeypatch, local(DAY, 8, 0))
    page = html(zhang.get("/meetings/sign-in/"))
    assert "签到将于 08:30 开放" in page and 'name="code"' not in page


def test_phone_page_answers_404_when_a_meeting_not_of_the_member_today_is_posted(tree, meeting, zhang):
    other = make_meeting(tree.b, planned_on=DAY, starts_at=dt.time(9, 0))
    response = zhang.post("/meetings/sign-in/", {"meeting": other.pk, "code": code_at(other, AT)})
    assert response.status_code == 404
    assert attendance(other, tree.zhang) is None


def test_phone_page_explains_when_the_account_has_no_member_record(meeting, personas):
    page = html(client_for("secretary_a").get("/meetings/sign-in/"))
    assert 'id="no-member-record"' in page


def test_my_meetings_links_the_phone_page_when_a_meeting_is_open(meeting, zhang):
    page = html(zhang.get("/meetings/mine/"))
    assert 'id="mine-sign-in-link"' in page and 'href="/meetings/sign-in/"' in page


def test_my_meetings_has_no_sign_in_link_when_no_meeting_is_open(meeting, zhang, monkeypatch):
    set_clock(monkeypatch, local(DAY, 13, 0))
    assert 'id="mine-sign-in-link"' not in html(zhang.get("/meetings/mine/"))


# --- the QR code's target -------------------------------------------------------------------------------


def test_login_comes_first_and_leads_back_when_the_qr_code_is_scanned(meeting):
    target = f"/meetings/{meeting.pk}/sign-in/?c=123456"
    response = Client().get(target)
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/")
        and quote(target, safe="/") in response["Location"]
    )


def test_qr_target_shows_a_confirm_button_and_signs_in_by_qr_when_confirmed(tree, meeting, zhang):
    code = code_at(meeting, AT)
    page = html(zhang.get(f"/meetings/{meeting.pk}/sign-in/?c={code}"))
    assert "确认签到" in page and f'name="code" value="{code}"' in page and 'value="qr"' in page
    assert "十一月支部党员大会" in page
    response = zhang.post(f"/meetings/{meeting.pk}/sign-in/", {"code": code, "method": "qr"})
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/sign-in/"
    assert attendance(meeting, tree.zhang).method == "qr"
    assert "已于 09:05 签到" in html(zhang.get(response["Location"]))


def test_qr_target_asks_for_the_code_when_the_url_has_none(meeting, zhang):
    page = html(zhang.get(f"/meetings/{meeting.pk}/sign-in/"))
    assert 'inputmode="numeric"' in page and 'value="code"' in page


def test_expired_qr_code_is_refused_with_the_rule_when_confirmed(tree, meeting, zhang):
    old = code_at(meeting, AT - dt.timedelta(minutes=2))
    response = zhang.post(f"/meetings/{meeting.pk}/sign-in/", {"code": old, "method": "qr"})
    assert response.status_code == 422 and "MTG-SIGN-IN" in html(response)
    assert attendance(meeting, tree.zhang).status == ""


def test_mobile_member_signs_in_as_a_guest_without_seeing_the_meeting_first(tree, meeting):
    account_for(tree.wang, "wang")
    wang = client_for("wang")
    code = code_at(meeting, AT)
    page = html(wang.get(f"/meetings/{meeting.pk}/sign-in/?c={code}"))
    assert "十一月支部党员大会" not in page and 'id="guest-note"' in page
    wang.post(f"/meetings/{meeting.pk}/sign-in/", {"code": code, "method": "qr"})
    row = attendance(meeting, tree.wang)
    assert (row.expected, row.status) == (False, "present")
    assert "十一月支部党员大会" in html(wang.get(f"/meetings/{meeting.pk}/sign-in/"))


def test_qr_target_is_not_found_when_an_account_without_member_record_outside_the_org_scans(
    meeting, personas
):
    assert client_for("secretary_b").get(f"/meetings/{meeting.pk}/sign-in/?c=123456").status_code == 404


def test_screen_queries_do_not_grow_when_more_members_sign_in(tree, meeting, personas):
    client = client_for("secretary_a")
    url = f"/meetings/{meeting.pk}/sign-in/screen/code/"

    def grow():
        for n in range(5):
            member = make_member(tree.a, f"党员{n}")
            with unscoped():
                Attendance.objects.unscoped_all().create(
                    meeting=meeting,
                    member=member,
                    expected=False,
                    status="present",
                    method="qr",
                    signed_at=AT,
                )

    growth = few_vs_many(lambda: client.get(url), grow)
    assert growth.few == growth.many and "党员4" in html(growth.result)
