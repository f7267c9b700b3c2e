"""Test data built through the services, so every record passes the same rules as real input."""

from __future__ import annotations

import datetime as dt
import itertools

from grassroots.core import id_number
from grassroots.core.scoping import Scope
from grassroots.members import services as member_services
from grassroots.members.choices import Education, MemberStatus, Occupation
from grassroots.orgs import services as org_services

SYSTEM = Scope.system("tests")
_seq = itertools.count(1)


def make_org(parent, code, name=None, kind="branch", **fields):
    return org_services.org_create(
        scope=SYSTEM,
        actor=None,
        parent=parent,
        code=code,
        name=name or f"中共测试{code}支部",
        kind=kind,
        **fields,
    )


def make_id_number(birth_date: dt.date, sex: str) -> str:
    n = next(_seq) % 500
    seq = n * 2 + (1 if sex == "male" else 0)
    return id_number.make("110101", birth_date, seq % 1000)


def make_member(
    org, name="张三", *, sex="male", birth_date=dt.date(1990, 5, 17), status=MemberStatus.FULL, **fields
):
    fields.setdefault("admitted_on", dt.date(2015, 7, 1))
    if status == MemberStatus.FULL:
        fields.setdefault("converted_on", dt.date(2016, 7, 1))
    fields.setdefault("education", Education.BACHELOR)
    fields.setdefault("occupation", Occupation.PROFESSIONAL)
    fields.setdefault("phone", "13800000000")
    return member_services.member_create(
        scope=SYSTEM,
        actor=None,
        org=org,
        name=name,
        sex=sex,
        birth_date=birth_date,
        status=status,
        id_number=fields.pop("id_number", None) or make_id_number(birth_date, sex),
        **fields,
    )
