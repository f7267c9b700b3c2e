"""The scoping sweep's world: the persona tree plus branch B data that is easy to recognise in a response.

Built once per test module (`sweep_world`, module-scoped) inside a transaction that stays open while the
module's tests run; each test runs in a savepoint of it (pytest-django's `db`), rolled back after the test,
and the whole world is rolled back when the module is done. Under `-n`, tests/conftest.py sends each
test file whole to one worker (`loadfile`), so each module that uses it builds the world once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from grassroots.accounts.models import User
from grassroots.audit.models import AuditEvent
from grassroots.core.scoping import unscoped
from grassroots.documents.models import Document
from grassroots.meetings import services as meeting_services
from grassroots.meetings.models import Attendance, MeetingNotice
from grassroots.members.models import Member, Transfer
from grassroots.orgs import services as org_services
from grassroots.orgs.models import Org
from grassroots.recruitment import services as recruitment_services
from grassroots.recruitment.models import Applicant, RecruitmentEvent, RecruitmentEventVoid
from grassroots.workcalendar.models import CalendarDay, CalendarYear
from tests.factories import SYSTEM, ApplicantFactory, make_meeting, make_member, make_org, make_transfer
from tests.support.api import token_for
from tests.support.personas import PASSWORD, build_personas, build_tree

# Branch B's data carries these strings; a response for branch A must contain none of them.
MARK = "SWEEP-B"
# The users the sweep calls the API as.
TOKEN_USERS = ("secretary_a", "secretary_b", "county_admin", "no_grant")


def _meetings_of_b(tree):
    """Organizational life in B: a meeting policy, a finalized general meeting 王五 missed (the lapse watch)
    and a heart-to-heart talk (written directly: B has no committee in the world, and electing one would
    change the org warnings every org page shows)."""
    from django.utils import timezone

    from grassroots.meetings import services as meeting_services
    from grassroots.meetings.models import Attendance, Minutes, Talk

    meeting_services.policy_set(
        scope=SYSTEM, actor=None, org=tree.b, effective_from=dt.date(2026, 1, 1), note=f"{MARK} 会议制度"
    )
    today = timezone.localdate()
    meeting = meeting_services.meeting_create(
        scope=SYSTEM,
        actor=None,
        org=tree.b,
        kind="general_meeting",
        topic=f"{MARK} 支部党员大会",
        planned_on=today,
    )
    with unscoped():
        Attendance.objects.unscoped_all().filter(meeting=meeting).update(status="absent")
        Minutes.objects.unscoped_all().filter(meeting=meeting).update(state="finalized")
        talk = Talk.objects.unscoped_all().create(
            org=tree.b, held_on=today, initiator=tree.wang, counterpart=tree.wang, topic=f"{MARK} 谈心谈话"
        )
    return meeting, talk


def build_world() -> SimpleNamespace:
    """Branch B with a party group, 王五's letter out of B, a letter addressed to B from G1, a dossier in B
    with a document, and a user without any grant."""
    tree = build_tree()
    personas = build_personas(tree)
    b_group = make_org(tree.b, "B1", f"{MARK} 第一党小组", kind="group")
    out_of_b = make_transfer(tree.wang, letter_serial=f"{MARK}-OUT", external_org_name=f"{MARK} 外省支部")
    sun = make_member(tree.g1, "孙九")
    into_b = make_transfer(sun, letter_serial=f"{MARK}-IN", to_org=tree.b)
    applicant = ApplicantFactory(
        org=tree.b,
        name="赵申请",
        sex="female",
        birth_date=dt.date(2000, 3, 8),
        applied_on=dt.date(2025, 3, 3),
    )
    document = recruitment_services.dossier_document_attach(
        scope=SYSTEM,
        actor=None,
        applicant=applicant,
        kind="application_letter",
        title=f"{MARK} 入党申请书",
        file=SimpleUploadedFile("申请书.pdf", f"%PDF-1.4 {MARK}".encode(), "application/pdf"),
    )
    # A step of B's dossier (the path parameter `event_id`: voiding a step).
    talk = recruitment_services.event_record(
        scope=SYSTEM, actor=None, applicant=applicant, kind="talk", on=dt.date(2025, 3, 10), payload={}
    )
    no_grant = User.objects.create_user(username="no_grant", password=PASSWORD)
    lapse_meeting, talk_b = _meetings_of_b(tree)
    unit = org_services.org_unit_add(
        scope=SYSTEM, actor=None, org=tree.b, name=f"{MARK} 联合单位", unit_kind="private_enterprise"
    )
    # The notice of B's meeting to 王五 (`notice_id`) and B's calendar feed (`feed_id`, `token`).
    with unscoped():
        notice = MeetingNotice.objects.unscoped_all().get(meeting=lapse_meeting, member=tree.wang)
    feed = meeting_services.feed_create(scope=SYSTEM, actor=None, org=tree.b)
    # A general meeting of B with a draft of its minutes (the path parameter `meeting_id`).
    meeting = make_meeting(tree.b, topic=f"{MARK} 支部党员大会", planned_on=dt.date(2025, 3, 20))
    meeting_services.minutes_save(scope=SYSTEM, actor=None, meeting=meeting, text=f"{MARK} 会议记录草稿")
    # A photo kept with that meeting (the meetings pages' path parameter `document_id`: withdrawing it).
    meeting_document = meeting_services.meeting_document_attach(
        scope=SYSTEM,
        actor=None,
        meeting=meeting,
        kind="photo",
        title=f"{MARK} 会议照片",
        file=SimpleUploadedFile("合影.pdf", f"%PDF-1.4 {MARK}".encode(), "application/pdf"),
    )
    # 王五's line at that meeting (the path parameter `attendance_id`: recording it, deciding his leave).
    with unscoped():
        attendance = Attendance.objects.unscoped_all().get(meeting=meeting, member=tree.wang)
    return SimpleNamespace(
        tree=tree,
        meeting=meeting,
        attendance=attendance,
        notice=notice,
        feed=feed.feed,
        feed_token=feed.token,
        personas=personas,
        b_group=b_group,
        transfer=out_of_b,
        transfer_in=into_b,
        applicant=applicant,
        document=document,
        meeting_document=meeting_document,
        talk=talk,
        unit=unit,
        no_grant=no_grant,
        talk_b=talk_b,
        # The working-day calendar belongs to no org: a day seeded from the package stands for its objects.
        calendar_day=CalendarDay.objects.filter(year__year=2026).order_by("on").first(),
        markers=(tree.b.name, b_group.name, tree.wang.name, sun.name, applicant.name, MARK),
    )


@pytest.fixture(scope="module")
def sweep_world(django_db_setup, django_db_blocker):
    """The world, built once for the module and rolled back after it (see the module docstring)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            # Issued here, not in a test: a token a test issues is rolled back with the test.
            world.tokens = {name: token_for(name) for name in TOKEN_USERS}
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(sweep_world, db):
    """The module's world, for a test running in a savepoint of it."""
    return sweep_world


def b_values(world) -> dict[str, str]:
    """Branch B's objects by path parameter name."""
    return {
        "code": world.tree.b.code,
        "org_code": world.tree.b.code,
        "parent_code": world.tree.b.code,
        "member_id": str(world.tree.wang.pk),
        "transfer_id": str(world.transfer.pk),
        "applicant_id": str(world.applicant.pk),
        "document_id": str(world.document.pk),
        "year": str(world.calendar_day.on.year),
        "day_id": str(world.calendar_day.pk),
        "event_id": str(world.talk.pk),
        "unit_id": str(world.unit.pk),
        "user_id": str(world.personas.member_b.pk),
        "notice_id": str(world.notice.pk),
        "feed_id": str(world.feed.pk),
        "token": world.feed_token,
        "meeting_id": str(world.meeting.pk),
        "attendance_id": str(world.attendance.pk),
        "meeting_document_id": str(world.meeting_document.pk),
    }


def api_token(world, username: str) -> str:
    """The bearer token of `username` (one of TOKEN_USERS), issued through the API with the world."""
    return world.tokens[username]


def db_state() -> dict:
    """Everything a refused call must leave untouched."""
    with unscoped():
        return {
            "orgs": list(Org.objects.unscoped_all().order_by("pk").values()),
            "members": list(Member.objects.unscoped_all().order_by("pk").values()),
            "transfers": list(Transfer.objects.unscoped_all().order_by("pk").values()),
            "applicants": list(Applicant.objects.unscoped_all().order_by("pk").values()),
            "recruitment_events": RecruitmentEvent.objects.unscoped_all().count(),
            "recruitment_event_voids": RecruitmentEventVoid.objects.unscoped_all().count(),
            "documents": list(Document.objects.unscoped_all().order_by("pk").values()),
            "audit": AuditEvent.objects.unscoped_all().count(),
            "calendar": (
                list(CalendarYear.objects.order_by("pk").values()),
                CalendarDay.objects.count(),
                CalendarDay.objects.filter(removed_at__isnull=False).count(),
            ),
        }


def leaks(world, content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    with contextlib.suppress(ValueError):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return [m for m in world.markers if m in text]
