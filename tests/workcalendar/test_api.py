"""The working-day calendar through the API (issue 8, item 21): an administrator enters next year's days, takes
one out and confirms the year; every refusal answers 422 with its rule id and changes nothing; anyone else
finds no calendar (404); the stored next steps of a dossier whose notice runs into the year follow the change."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.recruitment.models import Applicant
from grassroots.workcalendar.models import CalendarDay, CalendarYear
from tests.support.dossiers import activist, step

D = dt.date


@pytest.fixture(autouse=True)
def _december_2026(today_is):
    """The case of the issue: December 2026, the package knowing 2004–2026 (a test may set another day)."""
    today_is(D(2026, 12, 4))


@pytest.fixture
def admin(api_as):
    return api_as("county_admin")


def calendar_state() -> dict:
    with unscoped():
        audit = AuditEvent.objects.unscoped_all().filter(action__startswith="calendar.").count()
    return {
        "years": list(CalendarYear.objects.order_by("pk").values()),
        "days": list(CalendarDay.objects.order_by("pk").values()),
        "audit": audit,
    }


def test_years_seeded_from_package_2004_to_2026_and_2027_missing_when_listed(admin):
    years = {y["year"]: y for y in admin.get("/calendar/years").json()}
    assert set(years) == set(range(2004, 2028))
    assert all(years[y]["complete"] and years[y]["source"] == "package" for y in range(2004, 2027))
    assert years[2027] == {
        "year": 2027,
        "complete": False,
        "source": None,
        "holidays": 0,
        "workdays": 0,
        "confirmed_at": None,
    }
    year = admin.get("/calendar/years/2026").json()
    assert {"on": "2026-02-14", "kind": "workday", "name": "春节"} in [
        {k: d[k] for k in ("on", "kind", "name")} for d in year["days"]
    ]


def test_admin_enters_a_day_and_it_is_stored_and_audited(admin):
    response = admin.post("/calendar/days", {"on": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 201, response.json()
    day = CalendarDay.objects.get(pk=response.json()["id"])
    assert (day.on, day.kind, day.name, day.source) == (D(2027, 1, 1), "holiday", "元旦", "admin")
    assert day.entered_by.username == "county_admin" and day.removed_at is None
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.complete) == ("admin", False)
    with unscoped():
        event = AuditEvent.objects.unscoped_all().get(action="calendar.day_add")
    assert (event.target_type, event.target_id, event.org_id) == ("workcalendar.calendarday", day.pk, None)
    assert event.changes["on"] == [None, "2027-01-01"]


@pytest.mark.parametrize(
    ("body", "rule_id"),
    [
        ({"on": "2028-01-01", "kind": "holiday", "name": "元旦"}, "CAL-DAY-YEAR"),
        ({"on": "2027-01-01", "kind": "holiday", "name": "  "}, "CAL-DAY-NAME"),
        ({"on": "2027-02-12", "kind": "workday", "name": "春节"}, "CAL-DAY-WEEKEND"),
        ({"on": "2026-10-01", "kind": "holiday", "name": "国庆节"}, "CAL-DAY-TWICE"),
        ({"on": "2027-01-01", "kind": "dayoff", "name": "元旦"}, "API-VALIDATION"),
    ],
)
def test_day_refused_with_rule_id_and_nothing_stored_when_unlawful(admin, body, rule_id):
    before = calendar_state()
    response = admin.post("/calendar/days", body)
    assert response.status_code == 422, response.json()
    assert response.json()["rule_id"] == rule_id
    assert calendar_state() == before


def test_admin_removes_a_day_which_stays_marked_removed_with_reason(admin):
    added = admin.post("/calendar/days", {"on": "2027-01-01", "kind": "holiday", "name": "元旦"}).json()
    refused = admin.post(f"/calendar/days/{added['id']}/remove", {"reason": " "})
    assert refused.status_code == 422 and refused.json()["rule_id"] == "CAL-DAY-REASON"
    response = admin.post(f"/calendar/days/{added['id']}/remove", {"reason": "录入错误"})
    assert response.status_code == 200, response.json()
    day = CalendarDay.objects.get(pk=added["id"])
    assert day.removed_at is not None and day.removal_reason == "录入错误"
    assert day.removed_by.username == "county_admin"
    # Removed, not deleted: the year shows it marked; the date is free again.
    shown = admin.get("/calendar/years/2027").json()
    assert [(d["on"], d["removal_reason"]) for d in shown["days"]] == [("2027-01-01", "录入错误")]
    assert shown["holidays"] == 0
    again = admin.post("/calendar/days", {"on": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert again.status_code == 201
    # A removed day cannot be removed twice.
    assert admin.post(f"/calendar/days/{added['id']}/remove", {"reason": "再次"}).status_code == 404
    with unscoped():
        assert AuditEvent.objects.unscoped_all().filter(action="calendar.day_remove").count() == 1


def test_admin_enters_a_published_schedule_at_once_and_confirms_the_year(admin):
    text = "元旦 2027-01-01\n春节 2027-02-06 至 2027-02-08\n春节 2027-02-14 上班"
    response = admin.post("/calendar/years/2027/schedule", {"text": text})
    assert response.status_code == 201, response.json()
    assert (response.json()["holidays"], response.json()["workdays"]) == (4, 1)
    assert CalendarDay.objects.filter(year__year=2027).count() == 5
    response = admin.post("/calendar/years/2027/confirm", {"note": "国办发明电〔2026〕×号"})
    assert response.status_code == 200, response.json()
    assert response.json()["complete"] is True
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.confirmed_by.username == "county_admin"
    assert year.note == "国办发明电〔2026〕×号"
    with unscoped():
        actions = list(
            AuditEvent.objects.unscoped_all()
            .filter(action__startswith="calendar.")
            .values_list("action", flat=True)
        )
    assert sorted(actions) == ["calendar.schedule_enter", "calendar.year_confirm"]


@pytest.mark.parametrize(
    ("path", "body", "rule_id"),
    [
        (
            "/calendar/years/2027/schedule",
            {"text": "元旦 2027-01-01\n春节 2027-02-12 上班"},
            "CAL-DAY-WEEKEND",
        ),
        ("/calendar/years/2027/schedule", {"text": "元旦 2027-01-01\n国庆 10月1日"}, "CAL-SCHEDULE-LINE"),
        ("/calendar/years/2026/schedule", {"text": "国庆节 2026-10-01"}, "CAL-DAY-TWICE"),
        ("/calendar/years/2027/confirm", {}, "CAL-YEAR-EMPTY"),
        ("/calendar/years/2026/confirm", {}, "CAL-YEAR-COMPLETE"),
    ],
)
def test_schedule_or_confirmation_refused_with_rule_id_and_nothing_stored(admin, path, body, rule_id):
    before = calendar_state()
    response = admin.post(path, body)
    assert response.status_code == 422, response.json()
    assert response.json()["rule_id"] == rule_id
    assert calendar_state() == before


@pytest.mark.parametrize("username", ["secretary_a", "county_viewer"])
def test_calendar_not_found_when_caller_is_not_its_administrator(api_as, admin, username):
    day_id = CalendarDay.objects.filter(year__year=2026).values_list("pk", flat=True).first()
    client = api_as(username)
    before = calendar_state()
    calls = [
        client.get("/calendar/years"),
        client.get("/calendar/years/2026"),
        client.post("/calendar/days", {"on": "2027-01-01", "kind": "holiday", "name": "元旦"}),
        client.post(f"/calendar/days/{day_id}/remove", {"reason": "x"}),
        client.post("/calendar/years/2027/schedule", {"text": "元旦 2027-01-01"}),
        client.post("/calendar/years/2026/confirm", {}),
    ]
    assert [r.status_code for r in calls] == [404] * 6
    assert calendar_state() == before


def notice_into_2027(tree) -> Applicant:
    """A candidate whose 5-working-day public notice starts Monday 28 December 2026 and so runs into 2027."""
    person = activist(tree)
    step(person, "candidate_designated", D(2026, 3, 3))
    step(person, "sponsors_assigned", D(2026, 3, 4), sponsors=[tree.zhang.pk, tree.li.pk])
    step(person, "political_review", D(2026, 3, 5), passed=True)
    step(person, "training_completed", D(2026, 3, 6), days=3, hours=24)
    step(person, "pre_review", D(2026, 3, 9), passed=True)
    step(person, "public_notice", D(2026, 12, 28), working_days=5)
    with unscoped():
        return Applicant.objects.unscoped_all().get(pk=person.pk)


def earliest_vote(applicant: Applicant) -> str:
    with unscoped():
        stored = Applicant.objects.unscoped_all().get(pk=applicant.pk).next_steps
    return next(s["earliest_on"] for s in stored if s["event"] == "branch_vote")


def test_stored_next_steps_refreshed_when_the_calendar_changes(tree, admin, today_is):
    today_is(D(2026, 12, 28))  # the notice is posted today (REC-NOT-FUTURE)
    person = notice_into_2027(tree)
    # 2027 unknown: 28–31 December and Friday 1 January counted Monday–Friday; the vote from 2 January.
    assert earliest_vote(person) == "2027-01-02"
    added = admin.post("/calendar/days", {"on": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert added.status_code == 201
    # 1 January off: the notice ends Monday 4 January, the vote from 5 January — stored at once.
    assert earliest_vote(person) == "2027-01-05"
    dossier = admin.get(f"/recruitment/applicants/{person.pk}").json()
    assert [s["earliest_on"] for s in dossier["next"] if s["event"] == "branch_vote"] == ["2027-01-05"]
    admin.post(f"/calendar/days/{added.json()['id']}/remove", {"reason": "录入错误"})
    assert earliest_vote(person) == "2027-01-02"
