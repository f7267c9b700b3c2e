"""The lapse watch (MEM-LAPSE-6M, organizational life), excusals, heart-to-heart talks (MTG-TALK-Y) and the
meeting policy (MTG-POLICY): services, the selector against the rules, pages, API, to-do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.audit.models import AuditEvent
from grassroots.core import todo
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import unscoped
from grassroots.meetings import lapse, lapse_store, selectors, services
from grassroots.meetings.models import Attendance, LapseExcusal, MeetingPolicy, Minutes, Talk
from grassroots.orgs import services as org_services
from tests.factories import SYSTEM, make_meeting, make_member
from tests.support.personas import client_for
from tests.support.queries import count_queries, few_vs_many

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 4)
# The lapse page as branch A's secretary: session, user, grants, org, member choices, policies, grouped
# attendance, excusal ranges, evidence, excusals, the policy in force.
PAGE_QUERIES = 11
MONTHS = [D(2026, m, 10) for m in (6, 7, 8, 9, 10, 11)]


def held(org, on, *, present=(), excused=(), final=True, kind="general_meeting"):
    """A meeting of `org` on `on`: `present` signed in, `excused` on leave, the rest absent; minutes final."""
    meeting = make_meeting(org, kind=kind, planned_on=on, topic=f"会议 {on}")
    with unscoped():
        rows = Attendance.objects.unscoped_all().filter(meeting=meeting)
        rows.filter(member__in=list(present)).update(status="present")
        rows.filter(member__in=list(excused)).update(status="excused")
        rows.filter(status="").update(status="absent")
        if final:
            Minutes.objects.unscoped_all().filter(meeting=meeting).update(state="finalized")
            # Written around the finalize service: its hook's work, done here (the to-do and badge read it).
            lapse_store.sync(rows.values_list("member_id", flat=True), today=TODAY)
    return meeting


def watch(org, **kw):
    return {r.person.name: r for r in lapse.lapse_watch(scope=SYSTEM, org=org, today=TODAY, **kw)}


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


# --- policy -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"lectures_per_quarter": 0}, "lectures_per_quarter"),
        ({"lectures_per_quarter": 13}, "lectures_per_quarter"),
        ({"minutes_late_days": 0}, "minutes_late_days"),
        ({"minutes_late_days": 61}, "minutes_late_days"),
        ({"sign_in_opens_before_minutes": 241}, "sign_in_opens_before_minutes"),
        ({"sign_in_closes_after_minutes": -1}, "sign_in_closes_after_minutes"),
        ({"code_step_seconds": 14}, "code_step_seconds"),
        ({"code_step_seconds": 301}, "code_step_seconds"),
        ({"lapse_warn_months": 0}, "lapse_warn_months"),
        ({"lapse_months": 25}, "lapse_months"),
        ({"lapse_warn_months": 7, "lapse_months": 6}, "lapse_warn_months"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_policy_is_refused_when_a_value_is_out_of_bounds(tree, values, field):
    with pytest.raises(RuleViolation) as info:
        services.policy_set(scope=SYSTEM, actor=None, org=tree.county, effective_from=D(2026, 1, 1), **values)
    assert info.value.rule_id == "MTG-POLICY"
    assert info.value.field == field


@pytest.mark.parametrize(
    "values",
    [
        {"lectures_per_quarter": 12, "minutes_late_days": 60, "code_step_seconds": 15},
        {"sign_in_opens_before_minutes": 0, "sign_in_closes_after_minutes": 240, "code_step_seconds": 300},
        {"lapse_warn_months": 6, "lapse_months": 6},
        {"lapse_warn_months": 1, "lapse_months": 24},
    ],
)
def test_policy_is_stored_and_in_force_when_values_are_lawful(tree, values):
    services.policy_set(scope=SYSTEM, actor=None, org=tree.county, effective_from=D(2026, 1, 1), **values)
    policy = selectors.policy_for(tree.a, D(2026, 6, 1))
    for name, value in values.items():
        assert getattr(policy, name) == value
    assert selectors.policy_for(tree.a, D(2025, 12, 31)) == selectors.Policy()


def test_policy_is_refused_when_the_caller_is_not_an_org_admin(tree, personas, scope_of):
    with pytest.raises(PermissionDenied):
        services.policy_set(
            scope=scope_of(personas.secretary_a), actor=personas.secretary_a, org=tree.a, effective_from=TODAY
        )


def test_policy_page_adds_a_row_and_is_audited_when_an_admin_posts(tree, personas):
    client = client_for("county_admin")
    assert client.get("/meetings/policy/G1/").status_code == 200
    data = {
        "effective_from": "2026-01-01",
        "lectures_per_quarter": 2,
        "minutes_late_days": 7,
        "sign_in_opens_before_minutes": 30,
        "sign_in_closes_after_minutes": 60,
        "code_step_seconds": 30,
        "lapse_warn_months": 2,
        "lapse_months": 4,
        "note": "县委组织部文件",
    }
    assert client.post("/meetings/policy/G1/", data).status_code == 302
    assert selectors.policy_for(tree.b, TODAY).lapse_months == 4
    with unscoped():
        assert AuditEvent.objects.unscoped_all().filter(action="meetings.policy").count() == 1
    bad = client.post("/meetings/policy/G1/", data | {"lapse_months": 1})
    assert bad.status_code == 422
    assert "MTG-POLICY" in bad.content.decode()


def test_policy_page_hides_the_form_when_the_reader_is_a_secretary(tree, personas):
    response = client_for("secretary_a").get("/meetings/policy/A/")
    assert response.status_code == 200
    assert 'id="policy-form"' not in response.content.decode()


def test_policy_api_answers_the_policy_in_force_when_set(tree, personas, api_as):
    api = api_as("county_admin")
    response = api.post("/meetings/policy/C", {"effective_from": "2026-01-01", "lapse_months": 8})
    assert response.status_code == 201, response.content
    got = api.get("/meetings/policy/A").json()
    assert got["lapse_months"] == 8 and got["source_org"] == "C"
    refused = api.post("/meetings/policy/C", {"effective_from": "2026-01-01", "code_step_seconds": 5})
    assert refused.status_code == 422 and refused.json()["rule_id"] == "MTG-POLICY"


# --- talks --------------------------------------------------------------------------------------------------


@pytest.fixture
def committee(tree):
    return org_services.committee_elect(
        scope=SYSTEM, actor=None, org=tree.a, elected_on=D(2025, 1, 10), posts=[(tree.zhang, "secretary")]
    )


def test_talk_is_recorded_and_audited_when_the_initiator_holds_a_post(tree, committee, today):
    talk = services.talk_record(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        held_on=D(2026, 3, 1),
        initiator=tree.zhang,
        counterpart=tree.li,
        topic="思想汇报",
    )
    with unscoped():
        assert Talk.objects.unscoped_all().filter(pk=talk.pk).exists()
        assert AuditEvent.objects.unscoped_all().filter(action="meetings.talk").count() == 1
    with pytest.raises(RuntimeError):
        talk.save()


def test_talk_is_refused_when_the_initiator_holds_no_post(tree, committee, today):
    with pytest.raises(RuleViolation) as info:
        services.talk_record(
            scope=SYSTEM,
            actor=None,
            org=tree.a,
            held_on=D(2026, 3, 1),
            initiator=tree.li,
            counterpart=tree.zhang,
            topic="谈话",
        )
    assert (info.value.rule_id, info.value.field) == ("MTG-TALK-Y", "initiator")


def test_talk_is_refused_when_held_before_the_committee_was_elected(tree, committee, today):
    with pytest.raises(RuleViolation) as info:
        services.talk_record(
            scope=SYSTEM,
            actor=None,
            org=tree.a,
            held_on=D(2024, 12, 1),
            initiator=tree.zhang,
            counterpart=tree.li,
            topic="谈话",
        )
    assert info.value.field == "initiator"


@pytest.mark.parametrize("held_on", [D(2026, 12, 5), D(1920, 1, 1)])
def test_talk_is_refused_when_the_day_is_in_the_future_or_before_1921(tree, committee, today, held_on):
    with pytest.raises(RuleViolation) as info:
        services.talk_record(
            scope=SYSTEM,
            actor=None,
            org=tree.a,
            held_on=held_on,
            initiator=tree.zhang,
            counterpart=tree.li,
            topic="谈话",
        )
    assert info.value.field == "held_on"


def test_talk_is_refused_when_the_counterpart_is_of_another_org(tree, committee, today):
    with pytest.raises(RuleViolation) as info:
        services.talk_record(
            scope=SYSTEM,
            actor=None,
            org=tree.a,
            held_on=D(2026, 3, 1),
            initiator=tree.zhang,
            counterpart=tree.wang,
            topic="谈话",
        )
    assert info.value.field == "counterpart"


def test_talk_calls_the_cadence_hook_when_it_exists(tree, committee, today, monkeypatch):
    from grassroots.meetings.services import cadence

    seen = []
    monkeypatch.setattr(cadence, "talk_counted", seen.append, raising=False)
    talk = services.talk_record(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        held_on=D(2026, 3, 1),
        initiator=tree.zhang,
        counterpart=tree.li,
        topic="t",
    )
    assert seen == [talk]


def test_talks_page_and_api_list_the_talk_when_recorded(tree, personas, committee, today, api_as):
    client = client_for("secretary_a")
    form = {"held_on": "2026-03-01", "initiator": tree.zhang.pk, "counterpart": tree.li.pk, "topic": "谈心"}
    assert client.post("/meetings/talks/A/", form).status_code == 302
    assert "谈心" in client.get("/meetings/talks/A/?year=2026").content.decode()
    refused = client.post(
        "/meetings/talks/A/", form | {"initiator": tree.li.pk, "counterpart": tree.zhang.pk}
    )
    assert refused.status_code == 422 and "MTG-TALK-Y" in refused.content.decode()
    api = api_as("secretary_a")
    created = api.post(
        "/meetings/talks",
        {
            "org": "A",
            "held_on": "2026-04-01",
            "initiator": tree.zhang.pk,
            "counterpart": tree.li.pk,
            "topic": "谈",
        },
    )
    assert created.status_code == 201, created.content
    listed = api.get("/meetings/talks?org=A&year=2026").json()
    assert listed["count"] == 2
    assert api.get("/meetings/talks?org=A&year=2025").json()["count"] == 0
    assert api.get("/meetings/talks?org=B").status_code == 404


# --- the lapse watch ----------------------------------------------------------------------------------------


def test_member_reaches_the_lapse_level_when_six_months_are_missed(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
    rows = watch(tree.a)
    assert set(rows) == {"李四"}
    li = rows["李四"]
    assert (li.streak, li.level, li.since) == (6, "lapse", D(2026, 6, 1))


def test_streak_stops_at_an_attended_month_when_the_member_came(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang] + ([tree.li] if on.month == 8 else []))
    li = watch(tree.a)["李四"]
    assert (li.streak, li.level) == (3, "warn")
    assert li.months == (D(2026, 11, 1), D(2026, 10, 1), D(2026, 9, 1))


def test_month_without_a_meeting_is_neutral_when_the_branch_held_none(tree, today):
    for on in MONTHS:
        if on.month != 8:
            held(tree.a, on, present=[tree.zhang])
    assert watch(tree.a)["李四"].streak == 5


def test_excused_month_breaks_the_streak_when_an_excusal_covers_it(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
    services.excusal_record(
        scope=SYSTEM,
        actor=None,
        member=tree.li,
        reason_kind="sick",
        reason="住院治疗",
        from_month=D(2026, 9, 15),
        until_month=D(2026, 9, 1),
    )
    li = watch(tree.a)["李四"]
    assert (li.streak, li.level) == (2, "none")
    with unscoped():
        assert AuditEvent.objects.unscoped_all().filter(action="meetings.excusal").count() == 1


def test_leave_granted_ends_the_streak_when_the_member_was_excused(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang], excused=[tree.li] if on.month == 9 else [])
    assert watch(tree.a)["李四"].streak == 2


def test_draft_minutes_do_not_count_when_the_meeting_is_not_final(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang], final=on.month != 11)
    assert watch(tree.a)["李四"].streak == 5


def test_lapse_level_follows_the_policy_when_the_org_sets_one(tree, today):
    services.policy_set(
        scope=SYSTEM,
        actor=None,
        org=tree.a,
        effective_from=D(2026, 1, 1),
        lapse_warn_months=2,
        lapse_months=4,
    )
    for on in MONTHS[-4:]:
        held(tree.a, on, present=[tree.zhang])
    assert watch(tree.a)["李四"].level == "lapse"


def test_evidence_names_the_meetings_missed_when_listed(tree, today):
    meetings = [held(tree.a, on, present=[tree.zhang]) for on in MONTHS]
    page = lapse.lapse_watch(scope=SYSTEM, org=tree.a, today=TODAY)[0:10]
    assert [m.meeting_id for m in page[0].evidence] == [m.pk for m in reversed(meetings)]


def test_excusal_is_refused_when_it_ends_before_it_starts(tree, today):
    with pytest.raises(RuleViolation) as info:
        services.excusal_record(
            scope=SYSTEM,
            actor=None,
            member=tree.li,
            reason_kind="abroad",
            reason="出国",
            from_month=D(2026, 9, 1),
            until_month=D(2026, 8, 1),
        )
    assert (info.value.rule_id, info.value.field) == ("MEM-LAPSE-6M", "until_month")
    with unscoped():
        assert not LapseExcusal.objects.unscoped_all().exists()


def test_upper_org_watch_lists_its_subtree_when_asked(tree, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
        held(tree.b, on)
    rows = watch(tree.county, level="lapse")
    assert set(rows) == {"李四", "王五"}


def test_todo_lists_members_at_the_lapse_level_when_in_scope(tree, personas, scope_of, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
        held(tree.b, on)
    found = todo.collect(scope=scope_of(personas.secretary_a), today=TODAY)
    mine = [i for i in found.items if i.category == "meetings_lapse"]
    assert [i.subject for i in mine] == ["李四"]
    assert mine[0].rule_id == "MEM-LAPSE-6M"


def test_lapse_page_shows_the_member_and_records_an_excusal_when_posted(tree, personas, today):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
    client = client_for("secretary_a")
    page = client.get("/meetings/lapse/A/").content.decode()
    assert "李四" in page and "会议 2026-11-10" in page
    response = client.post(
        "/meetings/lapse/A/",
        {"member": tree.li.pk, "reason_kind": "mobile", "reason": "外出务工", "from_month": "2026-06-01"},
    )
    assert response.status_code == 302
    assert "李四" not in watch(tree.a)


def test_lapse_page_is_not_found_when_the_org_is_out_of_scope(tree, personas):
    assert client_for("secretary_a").get("/meetings/lapse/B/").status_code == 404


def test_lapse_api_pages_the_watch_when_asked(tree, personas, today, api_as):
    for on in MONTHS:
        held(tree.a, on, present=[tree.zhang])
    body = api_as("secretary_a").get("/meetings/lapse?org=A").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["name"], item["level"], item["streak"]) == ("李四", "lapse", 6)
    assert len(item["missed"]) == 6


def test_lapse_page_queries_do_not_grow_when_members_and_meetings_are_added(tree, personas, today):
    client = client_for("secretary_a")
    for on in MONTHS[:2]:
        held(tree.a, on, present=[tree.zhang])

    def grow():
        extra = [make_member(tree.a, f"党员{i}") for i in range(5)]
        for on in MONTHS[2:]:
            held(tree.a, on, present=[tree.zhang, *extra[:2]])

    growth = few_vs_many(lambda: client.get("/meetings/lapse/A/"), grow)
    assert growth.many == PAGE_QUERIES, growth
    count, _ = count_queries(lambda: lapse.lapse_watch(scope=SYSTEM, org=tree.a, today=TODAY)[0:30])
    assert count == 5  # policies, grouped attendance, excusal ranges; the page's evidence and excusals


def test_policy_rows_are_append_only_when_saved_again(tree):
    row = services.policy_set(scope=SYSTEM, actor=None, org=tree.a, effective_from=D(2026, 1, 1))
    with pytest.raises(RuntimeError):
        row.save()
    with unscoped():
        assert MeetingPolicy.objects.unscoped_all().count() == 1


def test_member_page_shows_a_badge_when_the_member_reaches_the_warning(tree, personas, today):
    for on in MONTHS[-3:]:
        held(tree.a, on, present=[tree.zhang])
    page = client_for("secretary_a").get(f"/members/{tree.li.pk}/").content.decode()
    assert "连续 3 个月未参加组织生活" in page
    other = client_for("secretary_a").get(f"/members/{tree.zhang.pk}/").content.decode()
    assert "未参加组织生活" not in other
