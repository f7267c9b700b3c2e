"""Test data built through the services, so every record passes the same rules as real input.

One factory-boy factory per entity. `create()` calls the entity's service (as the system scope, no actor)
instead of saving a model, so a factory cannot make a record the application would refuse; `build()` is
refused for the same reason. Defaults are lawful values; any field can be overridden, and fields a factory
does not declare go to the service as they are. The `make_*` functions are the short forms the tests use.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, ClassVar

import factory
from django.utils import timezone

from grassroots.accounts import services as account_services
from grassroots.accounts.models import RoleGrant, User
from grassroots.core import id_number
from grassroots.core.scoping import Scope
from grassroots.documents import services as document_services
from grassroots.documents.models import Document
from grassroots.meetings import services as meeting_services
from grassroots.meetings.models import Meeting
from grassroots.members import services as member_services
from grassroots.members.choices import Education, MemberStatus, Occupation
from grassroots.members.models import Member, Transfer
from grassroots.orgs import services as org_services
from grassroots.orgs.models import Org
from grassroots.recruitment import services as recruitment_services
from grassroots.recruitment.models import Applicant, RecruitmentEvent, RecruitmentPolicy

SYSTEM = Scope.system("tests")
PASSWORD = "Grassroots-Test-2026"
_seq = itertools.count(1)
_UNSET = object()  # a default that is not sent to the service at all


def make_id_number(birth_date: dt.date, sex: str) -> str:
    n = next(_seq) % 500
    seq = n * 2 + (1 if sex == "male" else 0)
    return id_number.make("110101", birth_date, seq % 1000)


class ServiceFactory(factory.Factory):
    """A factory whose `create()` calls `_service(scope=SYSTEM, actor=None, **fields)`."""

    class Meta:
        abstract = True

    _service: ClassVar[Any] = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError(f"{cls.__name__}: build through the services with create(); build() skips the rules")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        fields = {k: v for k, v in kwargs.items() if v is not _UNSET}
        return cls._service(scope=SYSTEM, actor=None, **fields)


class OrgFactory(ServiceFactory):
    """`orgs.services.org_create`: a branch with a fresh code under `parent`."""

    class Meta:
        model = Org

    _service = staticmethod(org_services.org_create)
    parent = None
    code = factory.Sequence(lambda n: f"F{n}")
    name = factory.LazyAttribute(lambda o: f"中共测试{o.code}支部")
    kind = "branch"


class MemberFactory(ServiceFactory):
    """`members.services.member_create`: a full member since 2016 with a valid, unique ID number."""

    class Meta:
        model = Member

    _service = staticmethod(member_services.member_create)
    org = None
    name = "张三"
    sex = "male"
    birth_date = dt.date(1990, 5, 17)
    status = MemberStatus.FULL
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth_date, o.sex))
    admitted_on = dt.date(2015, 7, 1)
    converted_on = factory.LazyAttribute(
        lambda o: dt.date(2016, 7, 1) if o.status == MemberStatus.FULL else _UNSET
    )
    education = Education.BACHELOR
    occupation = Occupation.PROFESSIONAL
    phone = "13800000000"


class TransferFactory(ServiceFactory):
    """`members.services.transfer_issue`: a letter issued today, to `to_org` or else to an org outside."""

    class Meta:
        model = Transfer

    _service = staticmethod(member_services.transfer_issue)
    member = None
    to_org = None
    external_org_name = factory.LazyAttribute(lambda o: "" if o.to_org else "中共某市某局支部")
    letter_serial = factory.Sequence(lambda n: f"2026-T{n:03d}")
    dues_paid_to = factory.LazyFunction(timezone.localdate)
    issued_on = factory.LazyFunction(timezone.localdate)


class ApplicantFactory(ServiceFactory):
    """`recruitment.services.applicant_create`: an application of 10 February 2025."""

    class Meta:
        model = Applicant

    _service = staticmethod(recruitment_services.applicant_create)
    org = None
    name = "钱七"
    sex = "female"
    birth_date = dt.date(1998, 4, 2)
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth_date, o.sex))
    applied_on = dt.date(2025, 2, 10)


class StepFactory(ServiceFactory):
    """`recruitment.services.event_record`: one step of a dossier (`kind`, `on`, `payload`)."""

    class Meta:
        model = RecruitmentEvent

    _service = staticmethod(recruitment_services.event_record)
    applicant = None
    kind = "talk"
    on = dt.date(2025, 2, 20)
    payload = factory.Dict({})


class PolicyFactory(ServiceFactory):
    """`recruitment.services.policy_set`: the policy of `org`'s subtree from 1 January 2025."""

    class Meta:
        model = RecruitmentPolicy

    _service = staticmethod(recruitment_services.policy_set)
    org = None
    effective_from = dt.date(2025, 1, 1)


def _pdf():
    from tests.support.documents import pdf

    return pdf()


class DocumentFactory(ServiceFactory):
    """`documents.services.document_attach`: a small PDF kept with `subject`."""

    class Meta:
        model = Document

    _service = staticmethod(document_services.document_attach)
    org = None
    subject = None
    kind = "talk_record"
    title = "谈话"
    file = factory.LazyFunction(_pdf)


class UserFactory(ServiceFactory):
    """`accounts.services.user_add`: a user with one role grant on `org`."""

    class Meta:
        model = User

    _service = staticmethod(account_services.user_add)
    username = factory.Sequence(lambda n: f"user{n}")
    password = PASSWORD
    org = None
    role = "member"

    @classmethod
    def _create(cls, model_class, *args, org=None, **kwargs):
        return super()._create(model_class, *args, org_code=org.code, **kwargs)


class RoleGrantFactory(ServiceFactory):
    """`accounts.services.grant_add`: one more grant for an existing user."""

    class Meta:
        model = RoleGrant

    _service = staticmethod(account_services.grant_add)
    user = None
    org = None
    role = "viewer"


class MeetingFactory(ServiceFactory):
    class Meta:
        model = Meeting

    _service = meeting_services.meeting_create
    kind = "general_meeting"
    topic = factory.Sequence(lambda n: f"第{n}次支部党员大会")
    planned_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    place = "支部活动室"


def make_meeting(org, kind="general_meeting", **fields) -> Meeting:
    return MeetingFactory(org=org, kind=kind, **fields)


def make_org(parent, code, name=None, kind="branch", **fields) -> Org:
    return OrgFactory(parent=parent, code=code, kind=kind, **({"name": name} if name else {}), **fields)


def make_member(org, name="张三", **fields) -> Member:
    if not fields.get("id_number"):
        fields.pop("id_number", None)
    return MemberFactory(org=org, name=name, **fields)


def make_transfer(member, **fields) -> Transfer:
    return TransferFactory(member=member, **fields)


def make_user(username: str, org, role: str, *, password: str = PASSWORD) -> User:
    return UserFactory(username=username, org=org, role=role, password=password)
