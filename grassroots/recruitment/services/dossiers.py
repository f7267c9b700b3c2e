"""Writes that open a dossier and keep its documents (材料): `applicant_create`, `dossier_document_attach`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.audit.services import diff, record, snapshot
from grassroots.core import crypto, permissions, pinyin
from grassroots.core.errors import RuleViolation
from grassroots.core.scoping import Scope, unscoped
from grassroots.documents import services as document_services
from grassroots.documents.models import Document
from grassroots.members import rules as member_rules
from grassroots.members.models import Member
from grassroots.orgs.choices import OrgKind
from grassroots.orgs.models import Org

from .. import rules, selectors
from ..choices import DossierDocumentKind, Stage
from ..models import Applicant, RecruitmentEvent
from .next_steps import _store_next

AUDITED_FIELDS = ["name", "sex", "birth_date", "applied_on", "org", "stage", "member"]


def _audit_state(applicant: Applicant) -> dict[str, Any]:
    state = snapshot(applicant, AUDITED_FIELDS)
    state["id_number"] = applicant.id_number_hash
    return state


def _check_branch(org: Org) -> None:
    if org.kind != OrgKind.BRANCH or org.ended_on is not None:
        raise RuleViolation(
            "MEM-ORG",
            _("发展党员工作由党支部负责，请选择一个未撤销的党支部（MEM-ORG）"),
            field="org",
        )


def _set_id_number(applicant: Applicant, raw: str) -> None:
    info = member_rules.check_id_number(raw, birth_date=applicant.birth_date, sex=applicant.sex)
    encrypted, digest, masked, tail_digest = crypto.protect_id_number(info.number)
    with unscoped():
        is_member = Member.objects.filter(id_number_hash=digest).exists()
        open_dossier = (
            Applicant.objects.filter(id_number_hash=digest)
            .exclude(stage__in=rules.TERMINAL)
            .exclude(pk=applicant.pk)
            .exists()
        )
    if is_member:
        raise RuleViolation(
            "MEM-ID-DUPLICATE",
            _("该身份证号已有党员档案，不能再作为入党申请人登记（MEM-ID-DUPLICATE）"),
            field="id_number",
        )
    if open_dossier:
        raise RuleViolation(
            "MEM-ID-DUPLICATE",
            _("该身份证号已有一份正在进行的发展党员档案（MEM-ID-DUPLICATE）"),
            field="id_number",
        )
    applicant.id_number_encrypted, applicant.id_number_hash, applicant.id_number_masked = (
        encrypted,
        digest,
        masked,
    )
    applicant.id_number_tail_hash = tail_digest


@transaction.atomic
def applicant_create(
    *,
    scope: Scope,
    actor,
    org: Org,
    name: str,
    sex: str,
    birth_date: dt.date,
    id_number: str,
    applied_on: dt.date,
    education: str = "",
    occupation: str = "",
) -> Applicant:
    """Open a dossier for someone who has applied in writing to join the party (入党申请)."""
    permissions.require(scope, permissions.MEMBER_EDIT, org.path)
    _check_branch(org)
    name = name.strip()
    if not name:
        raise RuleViolation("API-VALIDATION", _("请填写姓名（API-VALIDATION）"), field="name")
    rules.check_application(birth_date=birth_date, applied_on=applied_on)
    today = timezone.localdate()
    rules.check_not_future(on=applied_on, today=today, field="applied_on")
    applicant = Applicant(
        org=org,
        name=name,
        sex=sex,
        birth_date=birth_date,
        applied_on=applied_on,
        education=education,
        occupation=occupation,
        stage=Stage.APPLICANT,
    )
    _set_id_number(applicant, id_number)
    applicant.name_pinyin, applicant.name_initials = pinyin.keys(name)
    applicant.name_sort = pinyin.sort_key(name)
    policy_row = selectors.policy_row(org, today)
    steps = selectors.next_of(applicant, [], selectors.policy_of_row(policy_row))
    _store_next(applicant, steps, policy_row, today)
    applicant.save(force_insert=True)
    record(
        actor=actor,
        action="recruitment.apply",
        target=applicant,
        org_id=org.pk,
        changes=diff({}, _audit_state(applicant)),
    )
    return applicant


@transaction.atomic
def dossier_document_attach(
    *,
    scope: Scope,
    actor,
    applicant: Applicant,
    kind: str,
    title: str,
    file,
    event: RecruitmentEvent | None = None,
) -> Document:
    """Keep a document (材料) with the dossier, or with one of its steps (`event`, which must be the
    dossier's). DOC-* rules on the file (documents.services.document_attach)."""
    permissions.require(scope, permissions.MEMBER_EDIT, applicant.org.path)
    if kind not in DossierDocumentKind.values:
        raise RuleViolation(
            "API-VALIDATION",
            _("输入有误：未知的材料类别“%(kind)s”（API-VALIDATION）") % {"kind": kind},
            field="kind",
        )
    if event is not None and event.applicant_id != applicant.pk:
        raise RuleViolation(
            "API-VALIDATION", _("输入有误：该步骤不属于本档案（API-VALIDATION）"), field="event_id"
        )
    return document_services.document_attach(
        scope=scope,
        actor=actor,
        org=applicant.org,
        subject=event if event is not None else applicant,
        kind=kind,
        title=title,
        file=file,
    )
