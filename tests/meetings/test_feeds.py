"""The iCalendar feeds (issue 10, item 1): a secret-token URL per org and per member, parsed back with the
icalendar library; revoked and unknown tokens answer 404; only the member themself or the org's secretaries make
a feed; no personal data in it."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from grassroots.audit.models import AuditEvent
from grassroots.core.errors import NotFound, RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import services
from grassroots.meetings.models import CalendarFeed, Meeting
from grassroots.members import services as member_services
from tests.factories import SYSTEM, make_meeting
from tests.support.personas import client_for

pytestmark = pytest.mark.django_db
D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def meetings_a(tree, today_is):
    today_is(D(2026, 5, 1))
    held = make_meeting(
        tree.a,
        topic="学习党章",
        planned_on=D(2026, 4, 20),
        starts_at=dt.time(14, 30),
        ends_at=dt.time(16, 0),
        place="三楼会议室",
        convener=tree.zhang,
    )
    planned = make_meeting(tree.a, kind="party_lecture", topic="专题党课", planned_on=D(2026, 5, 12))
    cancelled = make_meeting(tree.a, topic="取消的会", planned_on=D(2026, 5, 20))
    with unscoped():
        Meeting.objects.unscoped_all().filter(pk=cancelled.pk).update(status="cancelled")
    other = make_meeting(tree.b, topic="二支部的会", planned_on=D(2026, 5, 5))
    return held, planned, cancelled, other


def fetch(token: str):
    return Client().get(reverse("meetings:ical", args=[token]))


def events_of(response) -> dict[str, object]:
    cal = Calendar.from_ical(response.content)
    return {str(e.get("summary")): e for e in cal.walk("VEVENT")}


def test_org_feed_lists_the_orgs_meetings_when_fetched_without_login(tree, meetings_a):
    held, planned, _cancelled, _other = meetings_a
    new = services.feed_create(scope=SYSTEM, actor=None, org=tree.a)
    response = fetch(new.token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = events_of(response)
    assert set(events) == {"支部党员大会：学习党章", "党课：专题党课", "支部党员大会：取消的会"}
    first = events["支部党员大会：学习党章"]
    assert str(first.get("uid")) == f"meeting-{held.pk}@grassroots"
    assert first.decoded("dtstart") == dt.datetime(2026, 4, 20, 14, 30, tzinfo=SHANGHAI)
    assert first.decoded("dtstart").tzinfo.key == "Asia/Shanghai"
    assert first.decoded("dtend") == dt.datetime(2026, 4, 20, 16, 0, tzinfo=SHANGHAI)
    assert str(first.get("location")) == "三楼会议室"
    assert str(events["支部党员大会：取消的会"].get("status")) == "CANCELLED"
    assert events["党课：专题党课"].decoded("dtstart") == D(2026, 5, 12)  # no time: an all-day event
    # The UID stays the same from one fetch to the next.
    assert str(events_of(fetch(new.token))["党课：专题党课"].get("uid")) == f"meeting-{planned.pk}@grassroots"


def test_feed_carries_no_personal_data_when_fetched(tree, meetings_a):
    new = services.feed_create(scope=SYSTEM, actor=None, org=tree.a)
    text = fetch(new.token).content.decode()
    for name in ("张三", "李四", "王五"):
        assert name not in text


def test_only_the_token_hash_is_stored_when_a_feed_is_made(tree):
    new = services.feed_create(scope=SYSTEM, actor=None, org=tree.a)
    with unscoped():
        stored = CalendarFeed.objects.unscoped_all().get(pk=new.feed.pk)
    assert new.token not in stored.token_hash and len(stored.token_hash) == 64


def test_404_when_the_token_is_unknown_or_revoked(tree, meetings_a):
    new = services.feed_create(scope=SYSTEM, actor=None, org=tree.a)
    assert fetch("not-a-token-" + "x" * 30).status_code == 404
    services.feed_revoke(scope=SYSTEM, actor=None, feed=new.feed)
    assert fetch(new.token).status_code == 404


def test_member_feed_lists_their_own_meetings_when_they_make_it(tree, personas, meetings_a):
    member_services.member_link_user(scope=SYSTEM, actor=None, member=tree.wang, user=personas.member_b)
    client = client_for("member_b")
    response = client.post(reverse("meetings:feed_create"), {"scope": "member"})
    assert response.status_code == 200
    url = re.search(r'id="feed-url" value="([^"]+)"', response.content.decode()).group(1)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    events = events_of(fetch(token))
    assert set(events) == {"支部党员大会：二支部的会"}
    with unscoped():
        feed = CalendarFeed.objects.unscoped_all().get()
        event = AuditEvent.objects.unscoped_all().get(action="meeting_feed.create")
    assert feed.member_id == tree.wang.pk and event.org_id == tree.b.pk
    # Listed on the feeds page, revoked from there.
    assert "我的会议" in client.get(reverse("meetings:feeds")).content.decode()
    assert client.post(reverse("meetings:feed_revoke", args=[feed.pk])).status_code == 302
    assert fetch(token).status_code == 404


def test_member_cannot_make_a_feed_when_the_org_is_not_theirs_to_edit(tree, personas, meetings_a):
    client = client_for("member_b")
    # Another branch: outside their scope, it looks missing.
    assert client.post(reverse("meetings:feed_create"), {"scope": "org", "org": "A"}).status_code == 404
    # Their own branch: they read it, but a member does not make the org's feed.
    assert client.post(reverse("meetings:feed_create"), {"scope": "org", "org": "B"}).status_code == 403
    with unscoped():
        assert not CalendarFeed.objects.unscoped_all().exists()


def test_member_feed_is_refused_when_the_member_is_someone_else(tree, personas, scope_of):
    scope = scope_of(personas.secretary_b)
    with pytest.raises(NotFound):
        services.feed_create(scope=scope, actor=personas.secretary_b, member=tree.wang)


def test_secretary_makes_and_revokes_the_org_feed_when_asked(tree, personas, meetings_a, scope_of):
    new = services.feed_create(scope=scope_of(personas.secretary_a), actor=personas.secretary_a, org=tree.a)
    assert fetch(new.token).status_code == 200
    with pytest.raises(NotFound):
        services.feed_revoke(scope=scope_of(personas.secretary_b), actor=personas.secretary_b, feed=new.feed)
    with pytest.raises(PermissionDenied):
        services.feed_create(scope=scope_of(personas.county_viewer), actor=personas.county_viewer, org=tree.a)
    client = client_for("secretary_a")
    assert client.get(reverse("meetings:feed_revoke", args=[new.feed.pk])).status_code == 200
    client.post(reverse("meetings:feed_revoke", args=[new.feed.pk]))
    assert fetch(new.token).status_code == 404
    with unscoped():
        actions = list(
            AuditEvent.objects.unscoped_all()
            .filter(action__startswith="meeting_feed.")
            .order_by("id")
            .values_list("action", flat=True)
        )
    assert actions == ["meeting_feed.create", "meeting_feed.revoke"]


@pytest.mark.parametrize("both", [True, False])
def test_refused_with_mtg_feed_when_neither_or_both_an_org_and_a_member_are_given(tree, both):
    extra = {"org": tree.b, "member": tree.wang} if both else {}
    with pytest.raises(RuleViolation) as refused:
        services.feed_create(scope=SYSTEM, actor=None, **extra)
    assert refused.value.rule_id == "MTG-FEED"
