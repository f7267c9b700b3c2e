"""我的会议 (issue 10, the member's side): the signed-in member's upcoming meetings, unread notices (marked read
when opened), past meetings with how they stood, and their attendance rate this year; an item on their home
page through the to-do registry; a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.scoping import unscoped
from grassroots.meetings.models import MeetingNotice
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_meeting
from tests.support.meeting_records import attend, finalize
from tests.support.personas import client_for
from tests.support.queries import count_queries

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def wang(tree, personas, today_is):
    """王五 of branch B, signed in as member_b, on 1 June 2026."""
    today_is(D(2026, 6, 1))
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.wang, user=personas.member_b)
    return tree.wang


def held(tree, topic, on, status):
    meeting = make_meeting(tree.b, topic=topic, planned_on=on)
    attend(meeting, {tree.wang: status}, reasons={tree.wang: "出差"} if status == "excused" else None)
    finalize(meeting, "记录")
    return meeting


def page(client) -> str:
    response = client.get(reverse("meetings:mine"))
    assert response.status_code == 200
    return response.content.decode()


def test_member_page_shows_upcoming_notices_past_and_rate_when_opened(tree, wang):
    held(tree, "一月的会", D(2026, 1, 10), "present")
    held(tree, "二月的会", D(2026, 2, 10), "present")
    held(tree, "三月的会", D(2026, 3, 10), "excused")
    held(tree, "四月的会", D(2026, 4, 10), "absent")
    held(tree, "去年的会", D(2025, 12, 10), "absent")  # another year: not in this year's rate
    make_meeting(tree.b, topic="六月的会", planned_on=D(2026, 6, 15), starts_at=dt.time(9, 0), place="二楼")
    make_meeting(tree.a, topic="一支部的会", planned_on=D(2026, 6, 16))  # not 王五's
    html = page(client_for("member_b"))
    assert 'id="mine-rate-value">50.00%' in html  # 2 present of 4 expected this year
    assert "出席 2 次 · 请假 1 次 · 缺席 1 次" in html
    upcoming = html[html.index('id="mine-upcoming"') : html.index('id="mine-past"')]
    assert "六月的会" in upcoming and "09:00" in upcoming and "二楼" in upcoming
    assert "一支部的会" not in html
    past = html[html.index('id="mine-past"') :]
    assert past.index("四月的会") < past.index("一月的会")  # newest first
    assert "请假" in past and "缺席" in past
    assert html.count("notice-item") == 6 and "6 条未读" in html


def test_notice_is_marked_read_when_its_member_opens_it(tree, wang):
    meeting = make_meeting(tree.b, topic="七月的会", planned_on=D(2026, 7, 1))
    with unscoped():
        notice = MeetingNotice.objects.unscoped_all().get(meeting=meeting, member=wang)
    client = client_for("member_b")
    assert "1 条未读" in page(client)
    response = client.get(reverse("meetings:notice", args=[notice.pk]))
    assert response.status_code == 200 and "七月的会" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "条未读" not in page(client)


def test_notice_stays_unread_when_the_secretary_opens_it(tree, personas, wang):
    meeting = make_meeting(tree.b, topic="七月的会", planned_on=D(2026, 7, 1))
    with unscoped():
        notice = MeetingNotice.objects.unscoped_all().get(meeting=meeting, member=wang)
    assert client_for("secretary_b").get(reverse("meetings:notice", args=[notice.pk])).status_code == 200
    assert client_for("secretary_a").get(reverse("meetings:notice", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_home_page_shows_the_members_next_meeting_when_one_is_soon(tree, wang):
    make_meeting(tree.b, topic="六月的会", planned_on=D(2026, 6, 15))
    make_meeting(tree.b, topic="九月的会", planned_on=D(2026, 9, 15))  # beyond 30 days
    html = client_for("member_b").get(reverse("home")).content.decode()
    assert 'id="todo-my_meetings"' in html and "六月的会" in html and "九月的会" not in html
    assert reverse("meetings:mine") in html


def test_member_page_says_so_when_the_account_has_no_member_record(personas):
    assert 'id="no-member-record"' in page(client_for("secretary_b"))


def test_member_page_queries_stay_fixed_when_the_history_grows(tree, wang):
    client = client_for("member_b")
    held(tree, "一月的会", D(2026, 1, 10), "present")
    few, _ = count_queries(lambda: page(client))
    for month in range(2, 6):
        held(tree, f"{month}月的会", D(2026, month, 10), "absent")
        make_meeting(tree.b, topic=f"{month}月后的会", planned_on=D(2026, 6 + month, 1))
    many, _ = count_queries(lambda: page(client))
    assert few == many
